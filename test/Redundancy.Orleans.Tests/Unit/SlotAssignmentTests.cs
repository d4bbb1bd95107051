using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

[Trait("Category", TestCategories.Unit)]
public sealed class SlotAssignmentTests
{
    private static CardInfo Line(string id, int slot, bool alive = true) =>
        new() { CardId = id, Role = CardRoles.Line, StartRole = CardRoles.Line, HomeSlot = slot, Slot = slot, Alive = alive };

    private static CardInfo Spare(string id, bool alive = true) =>
        new() { CardId = id, Role = CardRoles.Spare, StartRole = CardRoles.Spare, Alive = alive };

    private static readonly CardInfo Control = new() { CardId = "control", Role = CardRoles.Control, StartRole = CardRoles.Control, Alive = true };

    [Fact]
    public void Next_FirstStart_LineCardsClaimTheirHomeSlots()
    {
        var (slots, changes) = SlotAssignment.Next(new Dictionary<int, string?>(), [Control, Line("card-1", 1), Line("card-2", 2), Spare("spare-1")]);
        Assert.Equal(new Dictionary<int, string?> { [1] = "card-1", [2] = "card-2" }, slots);
        Assert.All(changes, c => Assert.Equal(ChassisEventKind.CardJoined, c.Kind));
    }

    [Fact]
    public void Next_DeadCard_SlotMovesToASpare()
    {
        var current = new Dictionary<int, string?> { [1] = "card-1", [2] = "card-2" };
        var (slots, changes) = SlotAssignment.Next(current, [Control, Line("card-1", 1), Line("card-2", 2, alive: false), Spare("spare-1")]);
        Assert.Equal("spare-1", slots[2]);
        Assert.Equal(new SlotAssignment.Change(2, "card-2", "spare-1", ChassisEventKind.CardFailover), Assert.Single(changes));
    }

    [Fact]
    public void Next_LineCardDiedBeforeItClaimedItsSlot_TheSlotFailsOverToASpare()
    {
        // Found in a test run on a loaded machine: card-1 was declared dead while the chassis started, before its home
        // slot entered the map; the spare joined later and the slot stayed unserved for good.
        var current = new Dictionary<int, string?> { [2] = "card-2" };
        var (slots, changes) = SlotAssignment.Next(current, [Control, Line("card-1", 1, alive: false), Line("card-2", 2), Spare("spare-1")], Dead("card-1"));
        Assert.Equal("spare-1", slots[1]);
        Assert.Equal(new SlotAssignment.Change(1, "card-1", "spare-1", ChassisEventKind.CardFailover), Assert.Single(changes));

        var (again, none) = SlotAssignment.Next(slots, [Control, Line("card-1", 1, alive: false), Line("card-2", 2), Spare("spare-1")], Dead("card-1"));
        Assert.Equal(slots, again);
        Assert.Empty(none);
    }

    [Fact]
    public void Next_LineCardDiedBeforeItClaimedItsSlot_NoSpareYet_DegradesThenTheSpareTakesIt()
    {
        var (slots, changes) = SlotAssignment.Next(new Dictionary<int, string?> { [2] = "card-2" }, [Control, Line("card-1", 1, alive: false), Line("card-2", 2)], Dead("card-1"));
        Assert.Null(slots[1]);
        Assert.Equal(new SlotAssignment.Change(1, "card-1", null, ChassisEventKind.CardFailover), Assert.Single(changes));

        var (later, restored) = SlotAssignment.Next(slots, [Control, Line("card-1", 1, alive: false), Line("card-2", 2), Spare("spare-1")], Dead("card-1"));
        Assert.Equal("spare-1", later[1]);
        Assert.Equal(new SlotAssignment.Change(1, null, "spare-1", ChassisEventKind.SlotRestored), Assert.Single(restored));
    }

    [Fact]
    public void Next_LineCardStillJoining_KeepsItsHomeSlotForItself()
    {
        // Found by CI of the rule above: a card still joining is not alive either, and lost its slot to the spare.
        var current = new Dictionary<int, string?> { [1] = "card-1", [2] = "card-2" };
        var (slots, changes) = SlotAssignment.Next(current, [Control, Line("card-1", 1), Line("card-2", 2), Line("card-3", 3, alive: false), Spare("spare-1")], Dead());
        Assert.False(slots.ContainsKey(3));
        Assert.Empty(changes);

        var (joined, claimed) = SlotAssignment.Next(slots, [Control, Line("card-1", 1), Line("card-2", 2), Line("card-3", 3), Spare("spare-1")], Dead());
        Assert.Equal("card-3", joined[3]);
        Assert.Equal(new SlotAssignment.Change(3, null, "card-3", ChassisEventKind.CardJoined), Assert.Single(claimed));
    }

    private static HashSet<string> Dead(params string[] cards) => new(cards, StringComparer.Ordinal);

    [Fact]
    public void Next_ReplacementLineCardForTheSameSlotIsAlive_ItClaimsTheSlot()
    {
        var (slots, changes) = SlotAssignment.Next(new Dictionary<int, string?>(), [Control, Line("card-1", 1, alive: false), Line("card-1b", 1), Spare("spare-1")], Dead("card-1"));
        Assert.Equal("card-1b", slots[1]);
        Assert.Equal(ChassisEventKind.CardJoined, Assert.Single(changes).Kind);
    }

    [Fact]
    public void Next_NoSpare_SlotDegrades()
    {
        var current = new Dictionary<int, string?> { [1] = "card-1", [2] = "card-2" };
        var (slots, changes) = SlotAssignment.Next(current, [Line("card-1", 1), Line("card-2", 2, alive: false)]);
        Assert.Null(slots[2]);
        Assert.Equal(new SlotAssignment.Change(2, "card-2", null, ChassisEventKind.CardFailover), Assert.Single(changes));
    }

    [Fact]
    public void Next_OriginalCardComesBack_StaysASpare_NoFailBack()
    {
        var current = new Dictionary<int, string?> { [1] = "card-1", [2] = "spare-1" };
        var (slots, changes) = SlotAssignment.Next(current, [Line("card-1", 1), Line("card-2", 2), Spare("spare-1")]);
        Assert.Equal("spare-1", slots[2]);
        Assert.Empty(changes);
    }

    [Fact]
    public void Next_DegradedSlotAndANewSpare_SlotIsRestored()
    {
        var current = new Dictionary<int, string?> { [1] = "card-1", [2] = null };
        var (slots, changes) = SlotAssignment.Next(current, [Line("card-1", 1), Line("card-2", 2, alive: false), Spare("spare-2")]);
        Assert.Equal("spare-2", slots[2]);
        Assert.Equal(ChassisEventKind.SlotRestored, Assert.Single(changes).Kind);
    }

    [Fact]
    public void Next_TwoCardsDeadOneSpare_OneSlotMovesOneDegrades()
    {
        var current = new Dictionary<int, string?> { [1] = "card-1", [2] = "card-2", [3] = "card-3" };
        var (slots, _) = SlotAssignment.Next(current, [Line("card-1", 1), Line("card-2", 2, alive: false), Line("card-3", 3, alive: false), Spare("spare-1")]);
        Assert.Equal("spare-1", slots[2]);
        Assert.Null(slots[3]);
    }

    [Fact]
    public void Next_SpareDiesWhileServing_NextSpareTakesOver()
    {
        var current = new Dictionary<int, string?> { [1] = "card-1", [2] = "spare-1" };
        var (slots, _) = SlotAssignment.Next(current, [Line("card-1", 1), Spare("spare-1", alive: false), Spare("spare-2"), Line("card-2", 2)]);
        Assert.Equal("spare-2", slots[2]); // spares are preferred over a returning line card
    }
}
