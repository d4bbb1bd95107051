using System.Net;
using System.Net.Sockets;

namespace Redundancy.Orleans.Bench.Harness;

/// <summary>Free loopback ports.</summary>
internal static class Ports
{
    private static int _cursor = 30000 + (Environment.ProcessId % 100) * 200;

    public static int One()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A base port B with B..B+count-1 and the gateway ports B+10000.. free.</summary>
    public static int Range(int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var start = Interlocked.Add(ref _cursor, count + 5) - count - 5;
            if (Enumerable.Range(start, count).All(p => Free(p) && Free(p + 10000)))
            {
                return start;
            }
        }

        throw new InvalidOperationException("No free port range.");
    }

    private static bool Free(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
