using System.Net;

namespace Redundancy.Orleans.Routing;

/// <summary>Deterministic route workloads: distinct, canonical routes for a process.</summary>
public static class WorkloadGenerator
{
    /// <summary>
    /// <paramref name="count"/> routes for process number <paramref name="processIndex"/> (0..159): IPv4 /32
    /// host routes in 10.0.0.0/8 with every eighth route an IPv6 /64 in 2001:db8::/32.
    /// </summary>
    public static IReadOnlyList<Route> Routes(int processIndex, int count, int firstRoute = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(processIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(processIndex, 159);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstRoute + count, 100_000);
        var routes = new List<Route>(count);
        for (var i = firstRoute; i < firstRoute + count; i++)
        {
            var metric = 10 + (i % 50);
            if (i % 8 == 7)
            {
                routes.Add(new Route
                {
                    Prefix = new IPAddress([0x20, 0x01, 0x0d, 0xb8, (byte)processIndex, (byte)(i >> 16), (byte)(i >> 8), (byte)i, 0, 0, 0, 0, 0, 0, 0, 0]) + "/64",
                    NextHop = "2001:db8:ffff::1",
                    Metric = metric,
                    Origin = RouteOrigins.Ospf,
                });
            }
            else
            {
                var n = (processIndex * 100_000) + i;
                var address = new IPAddress([10, (byte)(n >> 16), (byte)(n >> 8), (byte)n]);
                routes.Add(new Route { Prefix = address + "/32", NextHop = "192.0.2.1", Metric = metric, Origin = RouteOrigins.Static });
            }
        }

        return routes;
    }
}
