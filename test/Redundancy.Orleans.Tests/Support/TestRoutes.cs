using Redundancy.Orleans.Routing;

namespace Redundancy.Orleans.Tests.Support;

internal static class TestRoutes
{
    public static Route V4(string prefix, string nextHop = "192.0.2.1", int metric = 10, string origin = RouteOrigins.Static) =>
        new() { Prefix = prefix, NextHop = nextHop, Metric = metric, Origin = origin };

    public static RouteUpdate Announce(params Route[] routes) => new() { Announce = routes };

    public static RouteUpdate Withdraw(params string[] prefixes) => new() { Withdraw = prefixes };

    /// <summary>Routes as comparable text lines, sorted.</summary>
    public static IReadOnlyList<string> Lines(IEnumerable<Route> routes) =>
        routes.Select(r => $"{r.Prefix} via {r.NextHop} metric {r.Metric} {r.Origin}").Order(StringComparer.Ordinal).ToList();
}
