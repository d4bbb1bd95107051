namespace Redundancy.Orleans.Cards;

/// <summary>One card of the chassis as seen by the management plane.</summary>
[GenerateSerializer, Immutable]
public sealed record CardInfo
{
    /// <summary>Card id from the silo metadata.</summary>
    [Id(0)] public required string CardId { get; set; }

    /// <summary><see cref="CardRoles"/> value now: a spare that took a slot over is a line card.</summary>
    [Id(1)] public required string Role { get; set; }

    /// <summary>The slot the card serves now (slot map), or null for a spare or the control silo.</summary>
    [Id(2)] public int? Slot { get; set; }

    /// <summary>True while membership lists the card as active.</summary>
    [Id(3)] public bool Alive { get; set; }

    /// <summary>A live card that can hold processes (line or spare): alive, and not started as the control silo.</summary>
    public bool IsLiveCard() => Alive && StartRole != CardRoles.Control;

    /// <summary>OS process id of the card.</summary>
    [Id(4)] public int? ProcessId { get; set; }

    /// <summary>Software version of the card.</summary>
    [Id(5)] public string? Version { get; set; }

    /// <summary>The silo endpoint, for diagnostics.</summary>
    [Id(6)] public string? Endpoint { get; set; }

    /// <summary>The role the card started with (its metadata); <see cref="Role"/> is the role it has now.</summary>
    [Id(7)] public string? StartRole { get; set; }

    /// <summary>The slot the card started wanting, if it started as a line card.</summary>
    [Id(8)] public int? HomeSlot { get; set; }

    /// <summary>The hot-state schema versions the card's build reads (<c>min-max</c>), if it published them.</summary>
    [Id(9)] public string? StateSchema { get; set; }

    /// <summary>Where the card's Prometheus scrape endpoint is (<c>http://127.0.0.1:P/metrics</c>), when it has one.</summary>
    [Id(10)] public string? MetricsUrl { get; set; }
}
