using System.Net;
using System.Net.Sockets;

namespace Redundancy.Orleans.Testing;

/// <summary>Free loopback ports for real silo processes.</summary>
public static class FreePorts
{
    private static int _cursor = 20000 + (Environment.ProcessId % 200) * 100;

    /// <summary>A free ephemeral port (for HTTP or Redis).</summary>
    public static int One()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
            if (start + count + 10000 > 65000)
            {
                Interlocked.Exchange(ref _cursor, 20000);
                continue;
            }

            if (Enumerable.Range(start, count).All(p => IsFree(p) && IsFree(p + 10000)))
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
