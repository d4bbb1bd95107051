using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

[Trait("Category", TestCategories.Unit)]
public sealed class PlacementRankingTests
{
    [Fact]
    public void Rank_IsDeterministicAndDistinct()
    {
        string[] cards = ["card-1", "card-2", "card-3", "card-4"];
        var first = RendezvousRanking.Rank("bgp-1", cards, c => c);
        var second = RendezvousRanking.Rank("bgp-1", cards.Reverse(), c => c);
        Assert.Equal(first, second);
        Assert.Equal(4, first.Distinct().Count());
    }

    [Fact]
    public void Rank_LosingACard_KeepsTheOrderOfTheOthers()
    {
        string[] cards = ["card-1", "card-2", "card-3", "card-4"];
        for (var p = 0; p < 50; p++)
        {
            var all = RendezvousRanking.Rank($"proc-{p}", cards, c => c);
            var without = RendezvousRanking.Rank($"proc-{p}", cards.Where(c => c != all[1]), c => c);
            Assert.Equal(all.Where(c => c != all[1]), without);
        }
    }

    [Fact]
    public void Rank_SpreadsFirstChoiceOverCards()
    {
        string[] cards = ["card-1", "card-2", "card-3"];
        var firsts = Enumerable.Range(0, 300).Select(p => RendezvousRanking.Rank($"proc-{p}", cards, c => c)[0]).GroupBy(c => c).ToList();
        Assert.Equal(3, firsts.Count);
        Assert.All(firsts, g => Assert.InRange(g.Count(), 60, 140));
    }

    [Theory]
    [InlineData("bgp-1/r0", "bgp-1", 0)]
    [InlineData("a/r/r12", "a/r", 12)]
    public void ReplicaKeys_RoundTrip(string key, string process, int index)
    {
        Assert.True(ReplicaKeys.TryParse(key, out var p, out var i));
        Assert.Equal((process, index), (p, i));
        Assert.Equal(key, ReplicaKeys.Format(process, index));
    }

    [Theory]
    [InlineData("bgp-1")]
    [InlineData("bgp-1/rx")]
    [InlineData("/r1")]
    public void ReplicaKeys_Invalid_IsRefused(string key) => Assert.False(ReplicaKeys.TryParse(key, out _, out _));
}
