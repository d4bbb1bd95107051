using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

[Trait("Category", TestCategories.Unit)]
public sealed class RoutingStateTests
{
    [Fact]
    public void Best_PrefersLowerAdministrativeDistanceOverMetric()
    {
        var state = new RoutingState();
        state.Apply(new RoutingDelta { Announce = [TestRoutes.V4("10.0.0.0/24", "192.0.2.9", 1, RouteOrigins.Ospf), TestRoutes.V4("10.0.0.0/24", "192.0.2.1", 500, RouteOrigins.Static)] });
        Assert.Equal("192.0.2.1", state.Best("10.0.0.0/24")!.NextHop);
    }

    [Fact]
    public void Best_SameOrigin_LowerMetricThenNextHopWins()
    {
        var state = new RoutingState();
        state.Apply(new RoutingDelta { Announce = [TestRoutes.V4("10.0.0.0/24", "192.0.2.9", 5, RouteOrigins.Ospf)] });
        state.Apply(new RoutingDelta { Announce = [TestRoutes.V4("10.0.0.0/24", "192.0.2.1", 5, RouteOrigins.Ospf)] });
        Assert.Equal("192.0.2.1", state.Best("10.0.0.0/24")!.NextHop); // same origin replaces the path
        Assert.Equal(1, state.Size);
    }

    [Fact]
    public void Apply_WithdrawRemovesEveryOrigin()
    {
        var state = new RoutingState();
        state.Apply(new RoutingDelta { Announce = [TestRoutes.V4("10.0.0.0/24"), TestRoutes.V4("10.0.0.0/24", origin: RouteOrigins.Ospf), TestRoutes.V4("10.0.1.0/24")] });
        state.Apply(new RoutingDelta { Withdraw = ["10.0.0.0/24"] });
        Assert.Null(state.Best("10.0.0.0/24"));
        Assert.Equal(1, state.Size);
    }

    [Fact]
    public void Apply_PeerDelta_KeepsPeerRoutesApartFromRib()
    {
        var state = new RoutingState();
        state.Apply(new RoutingDelta { FromPeer = "bgp-2", PeerEpoch = 1, PeerSeq = 4, ReplacePeer = true, Announce = [TestRoutes.V4("10.2.0.0/16")] });
        state.Apply(new RoutingDelta { FromPeer = "bgp-2", PeerEpoch = 1, PeerSeq = 5, Withdraw = ["10.2.0.0/16"], Announce = [TestRoutes.V4("10.3.0.0/16")] });
        Assert.Equal(0, state.Size);
        var received = state.FromPeers["bgp-2"];
        Assert.Equal((1L, 5L), (received.Epoch, received.Seq));
        Assert.Equal(["10.3.0.0/16"], received.Routes.Keys);
    }
}
