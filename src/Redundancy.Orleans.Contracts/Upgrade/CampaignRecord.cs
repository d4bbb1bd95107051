namespace Redundancy.Orleans.Upgrade;

/// <summary>
/// The persisted upgrade campaign (U1), kept by the chassis manager in its replicated state so that it outlives
/// the orchestrator process and any single card. The campaign itself is opaque JSON owned by the client SDK;
/// the chassis only orders writes (revision) and remembers who runs it (owner, lease).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CampaignRecord
{
    /// <summary>Incremented on every save; a save must carry the revision it read.</summary>
    [Id(0)] public long Revision { get; set; }

    /// <summary>The campaign document (client SDK JSON).</summary>
    [Id(1)] public string Document { get; set; } = "";

    /// <summary>The orchestrator running it (<c>host:pid</c>), or null when nobody does.</summary>
    [Id(2)] public string? Owner { get; set; }

    /// <summary>The owner's lease: another orchestrator may take over after it.</summary>
    [Id(3)] public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>When it was last saved (chassis manager clock).</summary>
    [Id(4)] public DateTimeOffset SavedAt { get; set; }

    /// <summary>
    /// The ballot of the chassis manager that saved it: a save must carry the ballot and revision it read, so a revision
    /// number never names two different records (hole 5).
    /// </summary>
    [Id(5)] public long Ballot { get; set; }
}
