using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Cluster;

/// <summary>
/// The chassis manager pushes each slot map it commits to every live card (one failover path, issue 14): a card acts on
/// the new map at once, not on its next keep-alive tick. Here the card managers never tick and a switchover changes no
/// membership, so only the push can bring the new map to the other cards.
/// </summary>
[Trait("Category", TestCategories.Cluster)]
public sealed class SlotMapPushTests(NoTickChassisFixture chassis) : IClassFixture<NoTickChassisFixture>
{
    private static readonly string[] Cards = ["card-1", "card-2", "card-3", "spare-1"];

    [Fact]
    public async Task Switchover_NewMapReachesEveryCard_WithoutATickOrAMembershipChange()
    {
        await chassis.WaitReadyAsync("push-1");
        await chassis.WaitReadyAsync("push-2");
        var manager = chassis.Client.GetGrain<IChassisManager>(IChassisManager.Key);
        var before = await manager.GetSlotMap();
        await WaitEveryCardHoldsAsync(before, "before the switchover");

        await manager.Switchover(3, "spare-1");
        var after = await manager.GetSlotMap();
        Assert.True(after.IsNewerThan(before), $"the switchover committed no new map (v{before.Version} -> v{after.Version})");
        Assert.Equal("spare-1", after.Slots[3]);
        await WaitEveryCardHoldsAsync(after, "after the switchover of slot 3 to spare-1");
    }

    private Task WaitEveryCardHoldsAsync(SlotMap expected, string phase) =>
        Eventually.WaitAsync(
            async () => await Task.WhenAll(Cards.Select(async c => (Card: c, Map: await chassis.Client.GetGrain<ICardAgent>(c).GetSlotMap()))),
            held => held.All(h => h.Map is { } m && m.Version == expected.Version && m.Ballot == expected.Ballot),
            TimeSpan.FromSeconds(20),
            $"every card to act on slot map v{expected.Version} (ballot {expected.Ballot}) {phase}",
            held => string.Join(", ", held.Select(h => $"{h.Card}: {(h.Map is { } m ? $"v{m.Version} ballot {m.Ballot}" : "none")}")));
}
