namespace Redundancy.Orleans.Chassis;

/// <summary>
/// Which card serves which slot (M5), versioned. A slot mapped to null is degraded: no card serves it
/// and its processes are spread over the serving cards (N:1).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SlotMap
{
    /// <summary>Increases with every change.</summary>
    [Id(0)] public long Version { get; init; }

    /// <summary>
    /// The ballot of the chassis manager that made this map. Maps are ordered by <c>(Ballot, Version)</c>: a new chassis
    /// manager's maps supersede every older manager's, so a version number can never name two different maps (hole 5).
    /// </summary>
    [Id(2)] public long Ballot { get; init; }

    /// <summary>Slot → card id, or null for a degraded slot.</summary>
    [Id(1)] public IReadOnlyDictionary<int, string?> Slots { get; init; } = new Dictionary<int, string?>();

    /// <summary>
    /// True when this map is newer than <paramref name="other"/> (or there is none). Maps only move forward: a card
    /// ignores a map that is not newer than its copy, and a chassis manager that restored a map older than a
    /// card's copy has lost changes, so the card's copy is the authority.
    /// </summary>
    public bool IsNewerThan(SlotMap? other) => other is null || Ballot > other.Ballot || Ballot == other.Ballot && Version > other.Version;

    /// <summary>The next map after this one, made by the chassis manager of <paramref name="ballot"/>.</summary>
    public SlotMap Next(long ballot, IReadOnlyDictionary<int, string?> slots) => new() { Ballot = ballot, Version = Version + 1, Slots = slots };

    /// <summary>The slot a card serves, if any.</summary>
    public int? SlotOf(string cardId)
    {
        foreach (var (slot, card) in Slots)
        {
            if (card == cardId)
            {
                return slot;
            }
        }

        return null;
    }
}
