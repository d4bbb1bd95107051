using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Routing.State.Compact;
using Redundancy.Orleans.Routing.Workload;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

/// <summary>
/// The compact RIB (prefixes as address bits, paths as numbers) must behave exactly as the route records it replaced:
/// the same text back, the same best path, the same packed bytes in both directions (a rolling upgrade mixes builds).
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class CompactRoutingStateTests
{
    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("10.0.0.0/8")]
    [InlineData("192.0.2.1/32")]
    [InlineData("::/0")]
    [InlineData("2001:db8::/32")]
    [InlineData("2001:db8::1/128")]
    [InlineData("::ffff:192.0.2.0/120")]
    public void Prefix_GivesBackItsCanonicalText(string text) => Assert.Equal(text, RoutePrefix.Parse(text).ToString());

    [Fact]
    public void Prefix_KeysDifferByFamilyAndLength()
    {
        string[] texts = ["0.0.0.0/0", "::/0", "10.0.0.0/8", "10.0.0.0/16", "::a00:0/104", "2001:db8::/32", "2001:db8::/48"];
        Assert.Equal(texts.Length, texts.Select(RoutePrefix.Parse).Distinct().Count());
        Assert.Equal(RoutePrefix.Parse("10.0.0.0/8"), RoutePrefix.Parse("10.0.0.0/8"));
        Assert.Equal(RoutePrefix.Parse("10.0.0.0/8").GetHashCode(), RoutePrefix.Parse("10.0.0.0/8").GetHashCode());
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("x/8")]
    [InlineData("2001:db8::/129")]
    [InlineData("")]
    public void Prefix_RefusesWhatIsNotAPrefix(string text)
    {
        Assert.False(RoutePrefix.TryParse(text, out _));
        Assert.Contains($"'{text}'", Assert.Throws<FormatException>(() => RoutePrefix.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rib_OnePathPerOrigin_ReplacedAddedRemovedAndCounted()
    {
        var rib = new RibTable();
        rib.Set(TestRoutes.V4("10.1.0.0/16", "192.0.2.1", 50, RouteOrigins.Ospf));
        rib.Set(TestRoutes.V4("10.1.0.0/16", "192.0.2.2", 10, RouteOrigins.Ebgp));
        rib.Set(TestRoutes.V4("10.1.0.0/16", "192.0.2.3", 40, RouteOrigins.Ospf));
        rib.Set(TestRoutes.V4("10.2.0.0/16"));
        Assert.Equal((2, 3), (rib.Count, rib.PathCount));
        Assert.Equal(
            TestRoutes.Lines([TestRoutes.V4("10.1.0.0/16", "192.0.2.2", 10, RouteOrigins.Ebgp), TestRoutes.V4("10.1.0.0/16", "192.0.2.3", 40, RouteOrigins.Ospf)]),
            TestRoutes.Lines(rib["10.1.0.0/16"]));
        Assert.Equal(TestRoutes.V4("10.1.0.0/16", "192.0.2.2", 10, RouteOrigins.Ebgp), rib.Best("10.1.0.0/16"));

        Assert.True(rib.Remove("10.1.0.0/16"));
        Assert.False(rib.Remove("10.1.0.0/16"));
        Assert.False(rib.ContainsKey("10.1.0.0/16"));
        Assert.Null(rib.Best("10.1.0.0/16"));
        Assert.Equal((1, 1), (rib.Count, rib.PathCount));
        Assert.Throws<KeyNotFoundException>(() => rib["10.1.0.0/16"]);
    }

    [Fact]
    public void BestPath_TieOnDistanceAndMetric_GoesToTheNextHopFirstInTextOrder_NotInTheOrderNextHopsWereFirstSeen()
    {
        // Two unknown origins rank alike; these next hops are first seen here, in the opposite order to their text order.
        var rib = new RibTable();
        rib.Set(TestRoutes.V4("10.77.0.0/16", "198.18.9.9", 5, "x-first"));
        rib.Set(TestRoutes.V4("10.77.0.0/16", "198.18.10.1", 5, "x-second"));
        Assert.Equal(TestRoutes.V4("10.77.0.0/16", "198.18.10.1", 5, "x-second"), rib.Best("10.77.0.0/16"));
    }

    [Theory]
    [InlineData("10.1/16")]
    [InlineData("0x0a010000/16")]
    [InlineData("010.1.0.0/16")]
    [InlineData("10.1.0.0/016")]
    [InlineData("2001:DB8::/32")]
    [InlineData("2001:0db8::/32")]
    [InlineData("2001:db8::%1/32")]
    public void Rib_AnotherSpellingOfAPrefix_IsNotFound(string alias)
    {
        var rib = new RibTable();
        rib.Set(TestRoutes.V4("10.1.0.0/16"));
        rib.Set(TestRoutes.V4("2001:db8::/32", "2001:db8::1"));
        Assert.False(rib.ContainsKey(alias));
        Assert.Null(rib.Best(alias));
        Assert.False(rib.Remove(alias));
        Assert.Equal(2, rib.PathCount);
    }

    [Fact]
    public void Apply_ARouteThatIsNotOne_ChangesNothing()
    {
        var state = new RoutingState();
        state.Apply(new RoutingDelta { Announce = [TestRoutes.V4("10.1.0.0/16"), TestRoutes.V4("10.2.0.0/16")] });
        Assert.Throws<FormatException>(() => state.Apply(new RoutingDelta { Withdraw = ["10.1.0.0/16"], Announce = [TestRoutes.V4("10.3.0.0/16"), TestRoutes.V4("not-a-prefix")] }));
        Assert.Equal(["10.1.0.0/16", "10.2.0.0/16"], state.BestPaths().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PathSet_ACopyNeverChangesUnderItsReader()
    {
        var ospf = RoutePath.From(TestRoutes.V4("10.1.0.0/16", "192.0.2.1", 50, RouteOrigins.Ospf));
        var ebgp = RoutePath.From(TestRoutes.V4("10.1.0.0/16", "192.0.2.2", 10, RouteOrigins.Ebgp));
        var before = new PathSet(ospf).With(ebgp, out var added);
        var after = before.With(ebgp with { Metric = 99 }, out var addedAgain);
        Assert.Equal((true, false), (added, addedAgain));
        Assert.Equal(10, before[1].Metric);
        Assert.Equal(99, after[1].Metric);
    }

    [Fact]
    public void BestPath_IsTheRuleOfTheRouteRecords_OverASyntheticTableWithSeveralPathsPerPrefix()
    {
        var routes = SyntheticTable.Routes(seed: 7, prefixes: 20_000).ToList();

        // Same prefixes again from other origins, including an unknown one (ranks last) and next-hop ties.
        routes.AddRange(routes.Where((_, i) => i % 3 == 0).Select((r, i) => r with { Origin = i % 2 == 0 ? RouteOrigins.Ospf : "babel", Metric = r.Metric % 7 }).ToList());
        var state = new RoutingState();
        state.Apply(new RoutingDelta { Announce = routes });

        var expected = routes.GroupBy(r => r.Prefix).ToDictionary(g => g.Key, g => g.GroupBy(r => r.Origin).Select(o => o.Last()).OrderBy(r => r, RecordRule).First());
        Assert.True(expected.Values.Count(r => state.Rib[r.Prefix].Count > 1) > 1000, "too few prefixes with several paths to test the rule");
        Assert.Equal(expected.Count, state.Rib.Count);
        Assert.All(expected, e => Assert.Equal(e.Value, state.Best(e.Key)));
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), state.BestPaths().OrderBy(e => e.Key, StringComparer.Ordinal));

        // The audit's live view of best paths is the same table.
        var view = state.Rib.BestView;
        Assert.Equal(state.Rib.BestPaths().OrderBy(e => e.Key.ToString()), view.OrderBy(e => e.Key.ToString()));
        Assert.All(expected.Keys.Take(100), p => Assert.Equal(RoutePath.From(expected[p]), view[RoutePrefix.Parse(p)]));
        Assert.False(view.TryGetValue(RoutePrefix.Parse("203.0.113.0/24"), out _));
    }

    [Fact]
    public void Packing_IsTheSameFormatBothWays_AsTheRecordPackingOfThePreviousBuild()
    {
        var routes = SyntheticTable.Routes(seed: 3, prefixes: 5_000).Append(TestRoutes.V4("10.9.0.0/16", "192.0.2.7", 3, "babel")).ToList();
        var rib = new RibTable();
        routes.ForEach(rib.Set);

        // Written compactly, read as records (an older build reading a newer primary's snapshot)...
        Assert.Equal(TestRoutes.Lines(routes), TestRoutes.Lines(RoutePacking.Unpack(RoutePacking.Pack(rib))));

        // ...and written as records, read compactly (a newer build restoring from an older replica).
        var read = new RibTable();
        RoutePacking.UnpackInto(RoutePacking.Pack(routes), read);
        Assert.Equal(TestRoutes.Lines(routes), TestRoutes.Lines(read.Routes()));
        Assert.Equal(rib.PathCount, read.PathCount);
    }

    [Fact]
    public void Unpacking_CorruptBytes_IsRefusedWithAClearError()
    {
        var packed = RoutePacking.Pack([TestRoutes.V4("10.1.0.0/16"), TestRoutes.V4("2001:db8::/32", "2001:db8::1")]);
        byte[] hugeCount = [0xFF, 0xFF, 0xFF, 0xFF, 0x07, 4, 10, 0, 0, 0, 8];
        var badOrigin = (byte[])packed.Clone();
        badOrigin[Array.IndexOf(badOrigin, (byte)RouteAtoms.Origins.Intern(RouteOrigins.Static), 12)] = 9;
        byte[] trailing = [.. packed, 0];
        byte[] overlongCount = [0x80, 0x80, 0x80, 0x80, 0x10, .. packed[1..]];
        foreach (var bytes in new[] { packed[..^3], hugeCount, badOrigin, trailing, overlongCount })
        {
            var rib = new RibTable();
            var e = Assert.Throws<InvalidDataException>(() => RoutePacking.UnpackInto(bytes, rib));
            Assert.Contains("schema 2", e.Message, StringComparison.Ordinal);
            Assert.Equal(0, rib.PathCount);
        }

        // The record form (peers' routes) refuses a count its bytes cannot hold instead of allocating it.
        Assert.Throws<InvalidDataException>(() => RoutePacking.Unpack(hugeCount));
    }

    [Fact]
    public void Schema3_NextHopTable_RoundTripsAndRefusesAnIndexOutsideTheTable()
    {
        var rib = new RibTable();
        rib.Set(TestRoutes.V4("10.1.0.0/16", "192.0.2.1"));
        rib.Set(TestRoutes.V4("10.2.0.0/16", "192.0.2.2", 7, "babel"));
        rib.Set(TestRoutes.V4("2001:db8::/32", "2001:db8::1"));
        var packed = RoutePacking.Pack(rib, indexedNextHops: true);
        var read = new RibTable();
        RoutePacking.UnpackInto(packed, read, indexedNextHops: true);
        Assert.Equal(TestRoutes.Lines(rib.Routes()), TestRoutes.Lines(read.Routes()));

        // 3 next hops (4 + 4 + 16 address bytes, each with its length), then 3 routes; the first route's next hop index
        // sits after its 4 address bytes, their length and the prefix length.
        var firstHopIndex = 1 + (5 + 5 + 17) + 1 + 1 + 4 + 1;
        packed[firstHopIndex] = 3;
        var e = Assert.Throws<InvalidDataException>(() => RoutePacking.UnpackInto(packed, new RibTable(), indexedNextHops: true));
        Assert.Contains("next hop 3 of a table of 3", e.Message, StringComparison.Ordinal);
    }

    private static readonly Comparer<Route> RecordRule = Comparer<Route>.Create((a, b) =>
    {
        var c = (RouteOrigins.Distance(a.Origin) ?? int.MaxValue).CompareTo(RouteOrigins.Distance(b.Origin) ?? int.MaxValue);
        c = c != 0 ? c : a.Metric.CompareTo(b.Metric);
        return c != 0 ? c : string.CompareOrdinal(a.NextHop, b.NextHop);
    });
}
