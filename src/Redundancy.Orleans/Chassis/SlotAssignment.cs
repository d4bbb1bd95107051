using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Chassis;

/// <summary>
/// The chassis manager's decision, as pure logic: given the slot map and the cards, which slots move to
/// which spare (M5), which degrade (no spare left, N:1) and which degraded slots get a card again.
/// </summary>
internal static class SlotAssignment
{
    public sealed record Change(int Slot, string? OldCard, string? NewCard, ChassisEventKind Kind);

    /// <summary>
    /// Computes the next slot map; returns the changes (empty: nothing to do). <paramref name="declaredDead"/>: cards
    /// membership declared dead (a card not alive may also be one still joining, which must keep its home slot).
    /// </summary>
    public static (Dictionary<int, string?> Slots, List<Change> Changes) Next(IReadOnlyDictionary<int, string?> current, IReadOnlyList<CardInfo> cards, IReadOnlySet<string>? declaredDead = null)
    {
        var slots = new Dictionary<int, string?>(current);
        var changes = new List<Change>();
        var alive = cards.Where(c => c.IsLiveCard()).ToList();
        var aliveIds = alive.Select(c => c.CardId).ToHashSet(StringComparer.Ordinal);

        // Line cards claim their home slot when nobody has it yet (chassis start, a new slot added).
        foreach (var card in alive.Where(c => c.StartRole == CardRoles.Line && c.HomeSlot is not null).OrderBy(c => c.CardId, StringComparer.Ordinal))
        {
            var slot = card.HomeSlot!.Value;
            if (!slots.ContainsKey(slot) && !slots.ContainsValue(card.CardId))
            {
                slots[slot] = card.CardId;
            }
        }

        // A line card that died before its home slot entered the map (declared dead while the chassis started) leaves a
        // slot no live card claims: without this the slot would stay unserved for good, spares idle. It fails over
        // like any other card's slot.
        var orphaned = new HashSet<int>();
        foreach (var card in cards.Where(c => !c.Alive && declaredDead?.Contains(c.CardId) == true && c.StartRole == CardRoles.Line && c.HomeSlot is not null).OrderBy(c => c.CardId, StringComparer.Ordinal))
        {
            var slot = card.HomeSlot!.Value;
            if (!slots.ContainsKey(slot))
            {
                slots[slot] = card.CardId;
                orphaned.Add(slot);
            }
        }

        var serving = slots.Values.Where(v => v is not null && aliveIds.Contains(v)).ToHashSet(StringComparer.Ordinal);
        var spares = new Queue<string>(alive
            .Where(c => !serving.Contains(c.CardId))
            .OrderBy(c => c.StartRole == CardRoles.Spare ? 0 : 1)
            .ThenBy(c => c.CardId, StringComparer.Ordinal)
            .Select(c => c.CardId));

        foreach (var slot in slots.Keys.Order().ToList())
        {
            var card = slots[slot];
            if (card is not null && !aliveIds.Contains(card))
            {
                var spare = spares.Count > 0 ? spares.Dequeue() : null;
                slots[slot] = spare;
                changes.Add(new Change(slot, card, spare, ChassisEventKind.CardFailover));
            }
        }

        foreach (var slot in slots.Keys.Order().ToList())
        {
            if (slots[slot] is null && spares.Count > 0 && !changes.Any(c => c.Slot == slot))
            {
                var spare = spares.Dequeue();
                slots[slot] = spare;
                changes.Add(new Change(slot, null, spare, ChassisEventKind.SlotRestored));
            }
        }

        var newSlots = slots.Keys.Except(current.Keys).Except(orphaned);
        changes.AddRange(newSlots.Select(s => new Change(s, null, slots[s], ChassisEventKind.CardJoined)));
        return (slots, changes);
    }
}
