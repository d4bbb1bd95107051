namespace Redundancy.Orleans.Cards;

/// <summary>
/// Keys of the static silo metadata (<c>UseSiloMetadata</c>) that make a silo a line card.
/// Every silo of a chassis publishes them at start; placement and status read them back.
/// </summary>
public static class CardMetadataKeys
{
    /// <summary>The card's unique id, for example <c>card-2</c>.</summary>
    public const string CardId = "redundancy.card";

    /// <summary>The card's role: <see cref="CardRoles"/>.</summary>
    public const string Role = "redundancy.role";

    /// <summary>The slot a line card starts wanting (1..N); absent for spares and the control silo.</summary>
    public const string Slot = "redundancy.slot";

    /// <summary>The OS process id of the card, so an operator can see (and kill) it.</summary>
    public const string ProcessId = "redundancy.pid";

    /// <summary>The software version the card runs.</summary>
    public const string Version = "redundancy.version";

    /// <summary>The hot-state schema versions the card's build can read, as <c>min-max</c> (U1).</summary>
    public const string StateSchema = "redundancy.schema";

    /// <summary>The card's Prometheus scrape URL, when it exposes one.</summary>
    public const string MetricsUrl = "redundancy.metrics";
}

/// <summary>Values of <see cref="CardMetadataKeys.Role"/>.</summary>
public static class CardRoles
{
    /// <summary>A line card that serves a slot: hosts primaries and replicas.</summary>
    public const string Line = "line";

    /// <summary>A floating spare (M5): serves no slot and holds no replicas.</summary>
    public const string Spare = "spare";

    /// <summary>The chassis control silo: membership primary and management API; hosts no processes.</summary>
    public const string Control = "control";

    /// <summary>True for the roles a card may have.</summary>
    public static bool IsKnown(string? role) => role is Line or Spare or Control;
}
