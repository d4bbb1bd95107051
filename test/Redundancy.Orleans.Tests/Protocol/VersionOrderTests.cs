using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Protocol;

[Trait("Category", "Unit")]
[Trait("Category", TestCategories.Unit)]
public sealed class VersionOrderTests
{
    [Fact]
    public void SlotMap_NewManagerBallotSupersedesEveryOlderVersion()
    {
        // Hole 5: a new chassis manager that restored an older map makes v5 again; under its ballot that v5 is newer than
        // the old manager's v7, so the cards take it, and a version number never names two maps of one ballot.
        var old = new SlotMap { Ballot = 3, Version = 7, Slots = new Dictionary<int, string?> { [1] = "card-1" } };
        var restored = new SlotMap { Ballot = 3, Version = 4 };
        var next = restored.Next(ballot: 4, new Dictionary<int, string?> { [1] = "spare-1" });
        Assert.Equal((4L, 5L), (next.Ballot, next.Version));
        Assert.True(next.IsNewerThan(old));
        Assert.False(old.IsNewerThan(next));

        var cache = new SlotMapCache();
        Assert.True(cache.TryUpdate(old));
        Assert.True(cache.TryUpdate(next));
        Assert.False(cache.TryUpdate(old with { Version = 99 }));
        Assert.Equal("spare-1", cache.Current!.Slots[1]);
    }

    [Fact]
    public void ControlPlaneCards_SparesOnlyWhenServingCardsAreTooFew()
    {
        static (CardInfo, SiloAddress) Card(string id, string role, int? slot) =>
            (new CardInfo { CardId = id, Role = role, Slot = slot, Alive = true, StartRole = role }, SiloAddress.New(System.Net.IPAddress.Loopback, id.GetHashCode() & 0x7fff, 1));

        var chassis = new[] { Card("card-1", CardRoles.Line, 1), Card("card-2", CardRoles.Line, 2), Card("card-3", CardRoles.Line, 3), Card("spare-1", CardRoles.Spare, null) };
        var wide = new ReplicaCardView("chassis", "card-1", chassis, controlPlane: true, replicas: 2);
        Assert.False(wide.MayHold("spare-1"));
        Assert.NotEqual("spare-1", wide.ChooseCard(["card-2"]));

        var degraded = new ReplicaCardView("chassis", "card-1", chassis[..1].Append(chassis[3]).ToArray(), controlPlane: true, replicas: 2);
        Assert.True(degraded.MayHold("spare-1")); // I7: a chassis with one line card left still protects its manager
        Assert.Equal("spare-1", degraded.ChooseCard([]));

        var process = new ReplicaCardView("bgp-1", "card-1", chassis[..1].Append(chassis[3]).ToArray(), controlPlane: false);
        Assert.False(process.MayHold("spare-1")); // M3: a spare never holds a process's replica
        Assert.Null(process.ChooseCard([]));
    }
}
