using System.Net;
using System.Net.Sockets;

namespace Redundancy.Orleans.Testing;

/// <summary>Free loopback ports for real silo processes.</summary>
public static class FreePorts
{
    // Every port handed out lies below Linux's ephemeral range (32768-60999 by default), where the kernel picks the local
    // ports of outgoing connections: a port found free there can be taken by a connection before the process that was
    // given it binds it ("address already in use"). Each test process starts at its own offset.
    private const int SingleFirst = 5000, SingleEnd = 11000, RangeFirst = 11000, RangeEnd = 22000, GatewayOffset = 10000;

    private static readonly int SingleOffset = (Environment.ProcessId % 60) * 100;
    private static int _single;
    private static int _cursor = RangeFirst + (Environment.ProcessId % 100) * 100;

    /// <summary>A free port (for HTTP or Redis), outside the ephemeral range.</summary>
    public static int One()
    {
        const int span = SingleEnd - SingleFirst;
        for (var attempt = 0; attempt < span; attempt++)
        {
            var port = SingleFirst + (int)((SingleOffset + (uint)Interlocked.Increment(ref _single)) % span);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port found in {SingleFirst}..{SingleEnd - 1}.");
    }

    /// <summary>
    /// A base port B such that B..B+count-1 and B+10000..B+10000+count-1 are free
    /// (silo ports and the gateway ports the host derives from them).
    /// </summary>
    public static int Range(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var start = Interlocked.Add(ref _cursor, count + 7) - count - 7;
            if (start + count > RangeEnd)
            {
                Interlocked.Exchange(ref _cursor, RangeFirst);
                continue;
            }

            if (Enumerable.Range(start, count).All(p => IsFree(p) && IsFree(p + GatewayOffset)))
            {
                return start;
            }
        }

        throw new InvalidOperationException($"No range of {count} free ports found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
