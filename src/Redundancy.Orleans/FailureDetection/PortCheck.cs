using System.Net;
using System.Net.Sockets;

namespace Redundancy.Orleans.FailureDetection;

/// <summary>What a TCP connection attempt to a silo's endpoint found.</summary>
internal enum PortState
{
    /// <summary>The handshake completed: a process listens there.</summary>
    Open,

    /// <summary>Refused (reset): the host is up and nothing listens there — the silo's process is gone.</summary>
    Closed,

    /// <summary>No answer in time or another error: proves nothing (a hung or busy host, a lost route).</summary>
    Unknown,
}

/// <summary>One TCP connection attempt, closed at once; never sends a byte.</summary>
internal static class PortCheck
{
    public static async Task<PortState> CheckAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken ct)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endpoint, deadline.Token);
            return PortState.Open;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return PortState.Closed;
        }
        catch (SocketException)
        {
            return PortState.Unknown;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return PortState.Unknown;
        }
    }
}
