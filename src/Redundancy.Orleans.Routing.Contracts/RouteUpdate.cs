namespace Redundancy.Orleans.Routing;

/// <summary>A batch of route changes: withdrawals (by prefix, every origin) and announcements.</summary>
[GenerateSerializer, Immutable]
public sealed record RouteUpdate
{
    /// <summary>Routes to add or replace (keyed by prefix and origin).</summary>
    [Id(0)] public IReadOnlyList<Route> Announce { get; set; } = [];

    /// <summary>Prefixes to remove, all origins.</summary>
    [Id(1)] public IReadOnlyList<string> Withdraw { get; set; } = [];
}

/// <summary>The acknowledgement of an applied batch: what changed and how well it is protected (I1, I2).</summary>
[GenerateSerializer, Immutable]
public sealed record UpdateResult
{
    /// <summary>Sequence number of the batch.</summary>
    [Id(0)] public long Seq { get; set; }

    /// <summary>The primary's ballot (shown as the epoch).</summary>
    [Id(1)] public long Epoch { get; set; }

    /// <summary>Routes announced.</summary>
    [Id(2)] public int Announced { get; set; }

    /// <summary>Prefixes that existed and were withdrawn.</summary>
    [Id(3)] public int Withdrawn { get; set; }

    /// <summary>Replication mode that acknowledged it.</summary>
    [Id(4)] public string? Mode { get; set; }

    /// <summary>How many replicas (not counting the primary), on distinct cards, hold the batch.</summary>
    [Id(5)] public int Replicas { get; set; }

    /// <summary>How well the batch is protected: <c>Protected</c>, <c>Unprotected</c> or <c>UnprotectedUntilFlushed</c>.</summary>
    [Id(6)] public Replication.Protection Protection { get; set; }

    /// <summary>True when <see cref="Protection"/> is <c>Protected</c>: the batch survives the loss of any <see cref="Replicas"/> cards.</summary>
    [Id(7)] public bool Protected { get; set; }

    /// <summary>Periodic mode: the time by which the next flush protects the batch.</summary>
    [Id(8)] public DateTimeOffset? FlushDeadline { get; set; }
}

/// <summary>A route and whether it is the selected best path for its prefix.</summary>
[GenerateSerializer, Immutable]
public sealed record RouteEntry
{
    /// <summary>The route.</summary>
    [Id(0)] public required Route Route { get; set; }

    /// <summary>True for the best path (the one in the forwarding table).</summary>
    [Id(1)] public bool Best { get; set; }
}

/// <summary>A process's routing table.</summary>
[GenerateSerializer, Immutable]
public sealed record RoutingTableView
{
    /// <summary>Process name.</summary>
    [Id(0)] public required string Process { get; set; }

    /// <summary>Sequence number of the last applied change.</summary>
    [Id(1)] public long Seq { get; set; }

    /// <summary>Fencing epoch.</summary>
    [Id(2)] public long Epoch { get; set; }

    /// <summary>Every path, sorted by prefix then origin.</summary>
    [Id(3)] public IReadOnlyList<RouteEntry> Routes { get; set; } = [];

    /// <summary>Routes received from each peer (its best paths).</summary>
    [Id(4)] public IReadOnlyDictionary<string, int> ReceivedFromPeers { get; set; } = new Dictionary<string, int>();
}

/// <summary>The entries a process owns in its card's forwarding table (M10).</summary>
[GenerateSerializer, Immutable]
public sealed record ForwardingView
{
    /// <summary>Card holding the table.</summary>
    [Id(0)] public string? CardId { get; set; }

    /// <summary>The owner's seq when it last programmed the table.</summary>
    [Id(1)] public long Seq { get; set; }

    /// <summary>Entries, sorted by prefix.</summary>
    [Id(2)] public IReadOnlyList<Route> Entries { get; set; } = [];
}
