using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.Workload;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

/// <summary>
/// The synthetic Internet table: the same table for the same seed, window by window as a whole, no prefix twice, every
/// route valid and canonical, the real tables' prefix-length mix, one prefix in five IPv6, and several paths for some.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class SyntheticTableTests
{
    private const int Size = 200_000;

    private static readonly Lazy<Route[]> Table = new(() => [.. SyntheticTable.Routes(seed: 1, Size)]);

    [Fact]
    public void SameSeed_SameTable_OtherSeed_OtherTable()
    {
        Assert.Equal(SyntheticTable.Routes(1, 5000), SyntheticTable.Routes(1, 5000));
        var other = SyntheticTable.Routes(2, 5000).Select(r => r.Prefix).ToHashSet();
        var same = SyntheticTable.Routes(1, 5000).Count(r => other.Contains(r.Prefix));
        Assert.True(same < 500, $"seeds 1 and 2 share {same} of ~5000 prefixes: the seed barely changes the table");
    }

    [Fact]
    public void Windows_TogetherAreTheWholeTable()
    {
        var windows = new[] { (0, 70_000), (70_000, 1), (70_001, 89_999), (160_000, 40_000) }
            .SelectMany(w => SyntheticTable.Routes(1, Size, w.Item1, w.Item2));
        Assert.Equal(Table.Value, windows);
    }

    [Fact]
    public void EveryPrefix_IsDistinct_AndEveryRoute_IsValidAndCanonical()
    {
        var prefixes = Table.Value.Select(r => r.Prefix).Distinct().Count();
        Assert.Equal(Size, prefixes);
        foreach (var batch in Table.Value.Chunk(RouteValidator.DefaultMaxBatch))
        {
            var errors = RouteValidator.Validate(new RouteUpdate { Announce = batch });
            Assert.True(errors.Count == 0, string.Join("; ", errors.Take(5)));
        }

        Assert.All(Table.Value.Take(5000), r =>
        {
            Assert.True(RouteValidator.TryParsePrefix(r.Prefix, out _, out _, out var error, out var canonical), error);
            Assert.Equal(canonical, r.Prefix);
        });

        // Paths of one prefix differ in origin (the RIB keys a prefix's paths by origin), so none replaces another.
        Assert.Equal(Table.Value.Length, Table.Value.Select(r => (r.Prefix, r.Origin)).Distinct().Count());
    }

    [Fact]
    public void Mix_IsTheRealTables()
    {
        var byPrefix = Table.Value.GroupBy(r => r.Prefix).ToList();
        var v6 = byPrefix.Count(g => g.Key.Contains(':'));
        Assert.Equal(Size / 5, v6);

        // Prefix lengths: the share of each length within its family is the weight's share (exact up to rounding).
        foreach (var (lengths, isV6, total) in new[] { (SyntheticTable.Ipv4Lengths, false, Size - v6), (SyntheticTable.Ipv6Lengths, true, v6) })
        {
            var weights = lengths.Sum(l => (double)l.Weight);
            foreach (var (length, weight) in lengths)
            {
                var seen = byPrefix.Count(g => g.Key.Contains(':') == isV6 && g.Key.EndsWith("/" + length, StringComparison.Ordinal));
                Assert.InRange(seen, Math.Floor(weight / weights * total), Math.Ceiling(weight / weights * total));
            }
        }

        // /24 is the most common IPv4 length and /48 the most common IPv6 one, as in the real tables.
        Assert.True(byPrefix.Count(g => g.Key.EndsWith("/24", StringComparison.Ordinal) && !g.Key.Contains(':')) > (Size - v6) / 2);
        Assert.True(byPrefix.Count(g => g.Key.EndsWith("/48", StringComparison.Ordinal)) > v6 / 3);

        // About 15% of prefixes have more than one path (12% two, 3% three); no IPv4 address outside 1.0.0.0-223.255.255.255.
        var multi = byPrefix.Count(g => g.Count() > 1) / (double)Size;
        Assert.InRange(multi, 0.13, 0.17);
        Assert.InRange(byPrefix.Count(g => g.Count() == 3) / (double)Size, 0.02, 0.04);
        Assert.All(byPrefix.Where(g => !g.Key.Contains(':')), g => Assert.InRange(int.Parse(g.Key.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture), 1, 223));
        Assert.All(byPrefix.Where(g => g.Key.Contains(':')), g => Assert.True(g.Key[0] is '2' or '3', g.Key));
    }

    [Fact]
    public void LargestTable_HasRoomForEveryLength()
    {
        // The shortest lengths have the fewest networks (223 /8s): the largest table's share of them must still fit.
        var layout = SyntheticTable.Layout.Of(SyntheticTable.MaxPrefixes);
        Assert.All(layout.Counts, c => Assert.True(c.Count <= (c.V6 ? Math.Pow(2, c.Length - 3) : 223 * Math.Pow(2, c.Length - 8)), $"/{c.Length}: {c.Count}"));
        var last = SyntheticTable.Routes(3, SyntheticTable.MaxPrefixes, SyntheticTable.MaxPrefixes - 3).ToList();
        Assert.Equal(3, last.Select(r => r.Prefix).Distinct().Count());
    }

    [Theory]
    [InlineData(0, 0, null)]
    [InlineData(SyntheticTableSizes.MaxPrefixes + 1, 0, null)]
    [InlineData(100, 90, 11)]
    [InlineData(100, -1, null)]
    public void BadTableOrWindow_IsRefused(int prefixes, int from, int? count)
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticTable.Routes(1, prefixes, from, count).ToList());
        Assert.Matches("1\\.\\.2000000|not inside the table", refused.Message);
    }
}
