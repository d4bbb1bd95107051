using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.Audit;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Routing.State.Compact;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

[Trait("Category", TestCategories.Unit)]
public sealed class RoutingAuditTests
{
    private static Dictionary<RoutePrefix, RoutePath> Table(params Route[] routes) => AssociatedView.Compact(routes);

    private static IEnumerable<Route> Routes(Dictionary<RoutePrefix, RoutePath> table) => table.Select(e => e.Value.ToRoute(e.Key.ToString()));

    [Fact]
    public void Compare_FindsMissingStaleAndWrong()
    {
        var expected = Table(TestRoutes.V4("10.0.0.0/24"), TestRoutes.V4("10.0.1.0/24"), TestRoutes.V4("10.0.2.0/24"));
        var actual = Table(TestRoutes.V4("10.0.1.0/24"), TestRoutes.V4("10.0.2.0/24", metric: 99), TestRoutes.V4("10.0.3.0/24"));
        var diff = RouteDiff.Compare(expected, actual);
        Assert.Equal(["10.0.0.0/24"], diff.Missing.Select(r => r.Key.ToString()));
        Assert.Equal(["10.0.3.0/24"], diff.Stale.Select(p => p.ToString()));
        Assert.Equal(["10.0.2.0/24"], diff.Wrong.Select(r => r.Key.ToString()));
        Assert.Equal(3, diff.Count);
    }

    [Fact]
    public void Repairs_MakeActualEqualExpected()
    {
        var expected = Table(TestRoutes.V4("10.0.0.0/24"), TestRoutes.V4("10.0.2.0/24"));
        var actual = Table(TestRoutes.V4("10.0.2.0/24", metric: 99), TestRoutes.V4("10.0.3.0/24"));
        foreach (var (prefix, path) in RouteDiff.Compare(expected, actual).Repairs())
        {
            if (path is { } set)
            {
                actual[prefix] = set;
            }
            else
            {
                actual.Remove(prefix);
            }
        }

        Assert.Equal(TestRoutes.Lines(Routes(expected)), TestRoutes.Lines(Routes(actual)));
    }

    [Fact]
    public void Authority_NoViewAhead_IsNull()
    {
        var views = new[] { new AssociatedView("fib", 2, 5, Table(), true), new AssociatedView("peer:x", 2, 4, Table(), false), new AssociatedView("peer:y", 1, 50, Table(), false) };
        Assert.Null(RoutingAudit.Authority(2, 5, views));
    }

    [Fact]
    public void Authority_OrdersByBallotThenSeqThenForwardingTable()
    {
        var fib = new AssociatedView("fib", 3, 9, Table(), true);
        var peer = new AssociatedView("peer:x", 3, 9, Table(), false);
        var olderHistory = new AssociatedView("peer:y", 2, 90, Table(), false); // a higher seq of an older ballot is older (hole 3)
        Assert.Same(fib, RoutingAudit.Authority(2, 5, [peer, olderHistory, fib]));
        Assert.Null(RoutingAudit.Authority(3, 9, [peer, olderHistory, fib]));
    }

    [Fact]
    public void Recover_BuildsUpdateThatClosesTheGap()
    {
        var state = Rib(TestRoutes.V4("10.0.0.0/24"), TestRoutes.V4("10.0.9.0/24"));
        var authority = new AssociatedView("fib", 1, 9, Table(TestRoutes.V4("10.0.0.0/24"), TestRoutes.V4("10.0.1.0/24")), true);
        var recovery = RoutingAudit.Recover(state, authority);
        Assert.Equal(["10.0.1.0/24"], recovery.Update.Announce.Select(r => r.Prefix));
        Assert.Equal(["10.0.9.0/24"], recovery.Update.Withdraw);
        Assert.Equal(2, recovery.Recovered);
        Assert.Empty(recovery.Removed);
    }

    [Fact]
    public void Recover_WithdrawnBestPath_IsNotBroughtBack()
    {
        // Restored: static (best) and ospf paths for one prefix. In the gap the prefix was withdrawn and re-announced by ospf
        // only, so the forwarding table holds the ospf path. Hole 7: re-announcing the authority's best path alone left the
        // withdrawn static path in the RIB, where it won the best-path selection again.
        var stat = TestRoutes.V4("10.5.0.0/16", "192.0.2.1", 10, RouteOrigins.Static);
        var ospf = TestRoutes.V4("10.5.0.0/16", "192.0.2.2", 20, RouteOrigins.Ospf);
        var state = Rib(stat, ospf);
        var recovery = RoutingAudit.Recover(state, new AssociatedView("fib", 1, 7, Table(ospf), true));

        state.Apply(RoutingDelta.From(recovery.Update));
        Assert.Equal(ospf, state.Best("10.5.0.0/16"));
        Assert.DoesNotContain(state.Rib["10.5.0.0/16"], r => r == stat);
        Assert.Equal([stat], recovery.Removed);
        Assert.Equal(1, recovery.Recovered);
    }

    [Fact]
    public void Recover_PathsRankingBelowTheAuthority_Stay()
    {
        var best = TestRoutes.V4("10.6.0.0/16", "192.0.2.1", 10, RouteOrigins.Static);
        var worse = TestRoutes.V4("10.6.0.0/16", "192.0.2.9", 200, RouteOrigins.Ebgp);
        var changed = TestRoutes.V4("10.6.0.0/16", "192.0.2.3", 5, RouteOrigins.Static);
        var state = Rib(best, worse);
        var recovery = RoutingAudit.Recover(state, new AssociatedView("fib", 1, 3, Table(changed), true));

        state.Apply(RoutingDelta.From(recovery.Update));
        Assert.Equal(changed, state.Best("10.6.0.0/16"));
        Assert.Contains(worse, state.Rib["10.6.0.0/16"]);
        Assert.Empty(recovery.Removed);
    }

    private static RoutingState Rib(params Route[] routes)
    {
        var state = new RoutingState();
        state.Apply(new RoutingDelta { Announce = routes });
        return state;
    }
}
