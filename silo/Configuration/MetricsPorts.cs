using System.Net;
using System.Net.Sockets;

namespace Redundancy.Orleans.Silo.Configuration;

/// <summary>A free loopback port for a card's metrics endpoint, when none is configured.</summary>
internal static class MetricsPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
