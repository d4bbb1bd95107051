using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Redundancy.Orleans.Upgrade;
using Xunit;

namespace Redundancy.Orleans.Tests.Upgrade;

/// <summary>
/// The routing hot-state schemas and their converters (U1), over snapshots captured from real builds:
/// <c>routing-state-1.0.0-schema1.bin</c> is a RoutingState as build 1.0.0 put it on the wire,
/// <c>routing-surrogate-2.0.0-schema2.bin</c> the schema-2 form build 2.0.0 wrote before the compact RIB (1.0.0 writes
/// it now), <c>routing-surrogate-2.0.0-schema3.bin</c> the schema-3 form (next-hop table) build 2.0.0 writes since.
/// Never regenerate them: they are what older cards really send.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class RoutingSchemaTests
{
    /// <summary>The content of the captured snapshots: IPv4 and IPv6, several origins, a second path, a peer view.</summary>
    internal static RoutingState SampleState()
    {
        var state = new RoutingState();
        state.Apply(new RoutingDelta
        {
            Announce =
            [
                TestRoutes.V4("10.0.0.0/24"), TestRoutes.V4("10.0.0.0/24", "192.0.2.9", 5, RouteOrigins.Ospf),
                TestRoutes.V4("2001:db8::/32", "2001:db8::1", 16_777_215, RouteOrigins.Ebgp), TestRoutes.V4("0.0.0.0/0", "192.0.2.254", 0, RouteOrigins.Ibgp),
            ],
        });
        state.Apply(new RoutingDelta { FromPeer = "bgp-2", PeerEpoch = 3, PeerSeq = 17, ReplacePeer = true, Announce = [TestRoutes.V4("10.2.0.0/16", "192.0.2.2", 7, RouteOrigins.Rip)] });
        return state;
    }

    [Fact]
    public void CapturedSchema1Snapshot_FromBuild1_DecodesToExactState()
    {
        var bytes = File.ReadAllBytes(SnapshotSerializer.PathOf("routing-state-1.0.0-schema1.bin"));

        var state = SnapshotSerializer.For<RoutingState>().Deserialize(bytes)!;

        AssertSame(SampleState(), state);
        Assert.Equal(1, state.LoadedSchema);
    }

    [Fact]
    public void CapturedSchema2Snapshot_FromBuild2_DecodesToExactState()
    {
        var surrogate = SnapshotSerializer.For<RoutingStateSurrogate>().Deserialize(File.ReadAllBytes(SnapshotSerializer.PathOf("routing-surrogate-2.0.0-schema2.bin")));

        var state = RoutingSchemas.Decode(surrogate, 1, 2);

        AssertSame(SampleState(), state);
        Assert.Equal(2, state.LoadedSchema);
    }

    [Fact]
    public void CapturedSchema3Snapshot_FromBuild2_DecodesToExactState()
    {
        var surrogate = SnapshotSerializer.For<RoutingStateSurrogate>().Deserialize(File.ReadAllBytes(SnapshotSerializer.PathOf("routing-surrogate-2.0.0-schema3.bin")));

        var state = RoutingSchemas.Decode(surrogate, 1, 3);

        AssertSame(SampleState(), state);
        Assert.Equal(3, state.LoadedSchema);
    }

    [Fact]
    public void Schema3_IsExactAndSmallerThanSchema2_OverASyntheticTable()
    {
        var state = new RoutingState();
        state.Apply(new RoutingDelta { Announce = [.. Redundancy.Orleans.Routing.Workload.SyntheticTable.Routes(5, 20_000)] });
        var serializer = SnapshotSerializer.For<RoutingStateSurrogate>();

        var v2 = serializer.SerializeToArray(RoutingSchemas.Encode(state, 2));
        var v3 = serializer.SerializeToArray(RoutingSchemas.Encode(state, 3));

        AssertSame(state, RoutingSchemas.Decode(serializer.Deserialize(v3), 3, 3));
        Assert.True(v3.Length * 4 < v2.Length * 3, $"schema 3 should be under 3/4 of schema 2 (measured about 0.65): {v3.Length} vs {v2.Length} bytes");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Downgrade_Schema3StateWrittenInAnOlderSchema_ReadsExactlyForRollback(int older)
    {
        var fromV3 = RoutingSchemas.Decode(RoutingSchemas.Encode(SampleState(), 3), 1, 3);

        AssertSame(SampleState(), RoutingSchemas.Decode(RoutingSchemas.Encode(fromV3, older), min: older, max: older));
    }

    [Fact]
    public void Schema2_IsExactAndSmallerOnTheWire()
    {
        var state = new RoutingState();
        state.Apply(new RoutingDelta { Announce = WorkloadGenerator.Routes(3, 2000) });
        var serializer = SnapshotSerializer.For<RoutingStateSurrogate>();

        var v1 = serializer.SerializeToArray(RoutingSchemas.Encode(state, 1));
        var v2 = serializer.SerializeToArray(RoutingSchemas.Encode(state, 2));

        AssertSame(state, RoutingSchemas.Decode(serializer.Deserialize(v2), 1, 2));
        Assert.True(v2.Length * 4 < v1.Length * 3, $"schema 2 should be under 3/4 of schema 1 (measured about 0.6): {v2.Length} vs {v1.Length} bytes");
    }

    [Fact]
    public void Downgrade_Schema2StateWrittenAsSchema1_ReadsExactlyOnBuild1ForRollback()
    {
        var fromV2 = RoutingSchemas.Decode(RoutingSchemas.Encode(SampleState(), 2), 1, 2);

        var forV1 = RoutingSchemas.Decode(RoutingSchemas.Encode(fromV2, 1), min: 1, max: 1);

        AssertSame(SampleState(), forV1);
    }

    [Theory]
    [InlineData(1, 2, 2, "schema 1")]
    [InlineData(2, 1, 1, "schema 2")]
    [InlineData(2, 3, 3, "schema 2")]
    [InlineData(3, 1, 2, "schema 3")]
    public void Decode_SchemaOutsideTheBuildsRange_RefusesAndSaysWhich(int written, int min, int max, string expected)
    {
        var surrogate = RoutingSchemas.Encode(SampleState(), written);

        var error = Assert.Throws<StateSchemaException>(() => RoutingSchemas.Decode(surrogate, min, max));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains($"reads schemas {min}..{max}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_CorruptPackedRoutes_RefusesInsteadOfLosingRoutes()
    {
        var surrogate = RoutingSchemas.Encode(SampleState(), 2);
        surrogate.PackedRoutes = surrogate.PackedRoutes[..5];

        Assert.Throws<StateSchemaException>(() => RoutingSchemas.Decode(surrogate, 1, 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Encode_UnknownSchema_Refuses(int schema) =>
        Assert.Throws<StateSchemaException>(() => RoutingSchemas.Encode(SampleState(), schema));

    [Theory]
    [InlineData("1-2", true, 1, 2)]
    [InlineData("2-2", true, 2, 2)]
    [InlineData("2-1", false, 0, 0)]
    [InlineData("0-1", false, 0, 0)]
    [InlineData("x", false, 0, 0)]
    [InlineData(null, false, 0, 0)]
    public void SchemaRange_ParsesOnlyValidRanges(string? text, bool ok, int min, int max)
    {
        Assert.Equal(ok, StateSchemaNegotiator.TryParse(text, out var a, out var b));
        if (ok)
        {
            Assert.Equal((min, max), (a, b));
        }
    }

    private static void AssertSame(RoutingState expected, RoutingState actual)
    {
        Assert.Equal(TestRoutes.Lines(expected.Rib.Routes()), TestRoutes.Lines(actual.Rib.Routes()));
        Assert.Equal(expected.FromPeers.Keys.Order(), actual.FromPeers.Keys.Order());
        foreach (var (peer, received) in expected.FromPeers)
        {
            var other = actual.FromPeers[peer];
            Assert.Equal((received.Epoch, received.Seq), (other.Epoch, other.Seq));
            Assert.Equal(TestRoutes.Lines(received.Routes.Values), TestRoutes.Lines(other.Routes.Values));
        }
    }
}
