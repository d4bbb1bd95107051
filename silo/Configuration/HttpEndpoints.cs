using System.Net;
using System.Net.Sockets;

namespace Redundancy.Orleans.Silo.Configuration;

/// <summary>Where a card's HTTP listener binds, and the URLs it publishes for others to reach it.</summary>
internal static class HttpEndpoints
{
    /// <summary>The card's listener: <c>Chassis:HttpAddress</c> and <c>Chassis:HttpPort</c> (a free port when unset).</summary>
    public static Uri CardListener(ChassisOptions chassis) =>
        new($"http://{Host(chassis.HttpAddress)}:{chassis.HttpPort ?? FreePort()}");

    /// <summary>
    /// The URL others reach a listener at: a listener on every interface (<c>0.0.0.0</c>, <c>::</c>, <c>*</c>, <c>+</c>)
    /// is reached through the card's advertised host.
    /// </summary>
    public static Uri Published(Uri listener, ChassisOptions chassis)
    {
        var anyAddress = listener.Host is "*" or "+" or "[::]" or "::" || (IPAddress.TryParse(listener.Host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));
        return anyAddress ? new UriBuilder(listener) { Host = chassis.AdvertisedHost }.Uri : listener;
    }

    /// <summary>The metrics URL a card publishes in its metadata (shown in <c>GET /api/chassis</c>, listed for Prometheus).</summary>
    public static string MetricsUrl(Uri listener, ChassisOptions chassis) =>
        new Uri(Published(listener, chassis), "/metrics").ToString();

    private static string Host(string address) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : address;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
