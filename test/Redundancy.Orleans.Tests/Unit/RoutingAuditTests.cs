using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.Audit;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

public sealed class RoutingAuditTests
{
    private static Dictionary<string, Route> Table(params Route[] routes) => routes.ToDictionary(r => r.Prefix, StringComparer.Ordinal);

    [Fact]
    public void Compare_FindsMissingStaleAndWrong()
    {
        var expected = Table(TestRoutes.V4("10.0.0.0/24"), TestRoutes.V4("10.0.1.0/24"), TestRoutes.V4("10.0.2.0/24"));
        var actual = Table(TestRoutes.V4("10.0.1.0/24"), TestRoutes.V4("10.0.2.0/24", metric: 99), TestRoutes.V4("10.0.3.0/24"));
        var diff = RouteDiff.Compare(expected, actual);
        Assert.Equal(["10.0.0.0/24"], diff.Missing.Select(r => r.Prefix));
        Assert.Equal(["10.0.3.0/24"], diff.Stale);
        Assert.Equal(["10.0.2.0/24"], diff.Wrong.Select(r => r.Prefix));
        Assert.Equal(3, diff.Count);
    }

    [Fact]
    public void Repairs_MakeActualEqualExpected()
    {
        var expected = Table(TestRoutes.V4("10.0.0.0/24"), TestRoutes.V4("10.0.2.0/24"));
        var actual = Table(TestRoutes.V4("10.0.2.0/24", metric: 99), TestRoutes.V4("10.0.3.0/24"));
        foreach (var (prefix, route) in RouteDiff.Compare(expected, actual).Repairs())
        {
            if (route is null)
            {
                actual.Remove(prefix);
            }
            else
            {
                actual[prefix] = route;
            }
        }

        Assert.Equal(TestRoutes.Lines(expected.Values), TestRoutes.Lines(actual.Values));
    }

    [Fact]
    public void Authority_NoViewAhead_IsNull()
    {
        var views = new[] { new AssociatedView("fib", 5, Table(), true), new AssociatedView("peer:x", 4, Table(), false) };
        Assert.Null(RoutingAudit.Authority(5, views));
    }

    [Fact]
    public void Authority_PrefersHighestSeqThenForwardingTable()
    {
        var fib = new AssociatedView("fib", 9, Table(), true);
        var peer = new AssociatedView("peer:x", 9, Table(), false);
        var older = new AssociatedView("peer:y", 7, Table(), false);
        Assert.Same(fib, RoutingAudit.Authority(5, [peer, older, fib]));
    }

    [Fact]
    public void Recover_BuildsUpdateThatClosesTheGap()
    {
        var best = Table(TestRoutes.V4("10.0.0.0/24"), TestRoutes.V4("10.0.9.0/24"));
        var authority = new AssociatedView("fib", 9, Table(TestRoutes.V4("10.0.0.0/24"), TestRoutes.V4("10.0.1.0/24")), true);
        var (update, diff) = RoutingAudit.Recover(best, authority);
        Assert.Equal(["10.0.1.0/24"], update.Announce.Select(r => r.Prefix));
        Assert.Equal(["10.0.9.0/24"], update.Withdraw);
        Assert.Equal(2, diff.Count);
    }
}
