namespace Redundancy.Orleans.Chassis;

/// <summary>
/// The chassis manager's restored slot map against the cards' copy, as pure logic: slot maps only move
/// forward (every change raises the version, and a card ignores a map older than its own), so a restored
/// map with a lower version than a card's copy has lost changes and the card's copy is the authority.
/// </summary>
internal static class SlotMapAudit
{
    /// <summary>The cards' copy when it is newer than the restored map; null when the restored map may stand.</summary>
    public static SlotMap? Newer(SlotMap restored, SlotMap? cardsCopy) =>
        cardsCopy is not null && cardsCopy.Version > restored.Version ? cardsCopy : null;
}
