using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.History;

/// <summary>
/// The persistent-state baseline keeps a <see cref="RoutingState"/> in grain storage, which writes JSON: the compact RIB
/// must read back exactly, or the baseline cannot restart (its crash figure in the benchmark would be a failure).
/// </summary>
[Collection(HistoryCollection.Name)]
[Trait("Category", TestCategories.Cluster)]
public sealed class BaselineStorageTests(HistoryClusterFixture fixture)
{
    [Fact]
    public void RoutingState_ThroughTheSilosGrainStorageSerializer_ReadsBackExactly()
    {
        var state = new RoutingState();
        state.Apply(new RoutingDelta
        {
            Announce = [TestRoutes.V4("10.0.0.0/24"), TestRoutes.V4("10.0.0.0/24", "192.0.2.9", 5, RouteOrigins.Ospf), TestRoutes.V4("2001:db8::/32", "2001:db8::1")],
        });
        var serializer = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainStorageSerializer>();

        var read = serializer.Deserialize<RoutingState>(serializer.Serialize(state))!;

        Assert.Equal(TestRoutes.Lines(state.Rib.Routes()), TestRoutes.Lines(read.Rib.Routes()));
        Assert.Equal((3, 2), (read.Size, read.Rib.Count));
        Assert.Equal(state.Fingerprint(), read.Fingerprint());
    }
}
