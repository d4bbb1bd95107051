using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

[Trait("Category", TestCategories.Unit)]
public sealed class RoutingStateConverterTests
{
    [Fact]
    public void RoundTrip_KeepsEveryPathAndEveryPeerView()
    {
        var state = new RoutingState();
        state.Apply(new RoutingDelta { Announce = [TestRoutes.V4("10.0.0.0/24"), TestRoutes.V4("10.0.0.0/24", "192.0.2.9", 5, RouteOrigins.Ospf), TestRoutes.V4("2001:db8::/32", "2001:db8::1")] });
        state.Apply(new RoutingDelta { FromPeer = "bgp-2", PeerEpoch = 3, PeerSeq = 17, ReplacePeer = true, Announce = [TestRoutes.V4("10.2.0.0/16")] });
        var converter = new RoutingStateConverter(EmptyServices.Instance);

        var copy = converter.ConvertFromSurrogate(converter.ConvertToSurrogate(state));

        Assert.Equal(TestRoutes.Lines(state.Rib.Routes()), TestRoutes.Lines(copy.Rib.Routes()));
        Assert.Equal(state.BestPaths(), copy.BestPaths());
        var peer = copy.FromPeers["bgp-2"];
        Assert.Equal((3L, 17L, "10.2.0.0/16"), (peer.Epoch, peer.Seq, Assert.Single(peer.Routes.Keys)));
    }

    [Fact]
    public void RoundTrip_EmptyState_StaysEmpty()
    {
        var converter = new RoutingStateConverter(EmptyServices.Instance);
        var copy = converter.ConvertFromSurrogate(converter.ConvertToSurrogate(new RoutingState()));
        Assert.Equal((0, 0), (copy.Size, copy.FromPeers.Count));
    }
}
