using Redundancy.Orleans.Audit;

namespace Redundancy.Orleans.Processes;

/// <summary>Status of one redundant process (primary) as reported by the process itself.</summary>
[GenerateSerializer, Immutable]
public sealed record ProcessStatus
{
    /// <summary>Process name (the grain key).</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>Slot the process is assigned to.</summary>
    [Id(1)] public int Slot { get; init; }

    /// <summary>Card the primary runs on.</summary>
    [Id(2)] public string? CardId { get; init; }

    /// <summary>Life-cycle state.</summary>
    [Id(3)] public ProcessState State { get; init; }

    /// <summary>Fencing epoch of this primary.</summary>
    [Id(4)] public long Epoch { get; init; }

    /// <summary>Sequence number of the last applied change.</summary>
    [Id(5)] public long Seq { get; init; }

    /// <summary>Size of the application state (routes for the routing application).</summary>
    [Id(6)] public int StateSize { get; init; }

    /// <summary>The replicas and how far they are.</summary>
    [Id(7)] public IReadOnlyList<ReplicaInfo> Replicas { get; init; } = [];

    /// <summary>The audit that ran after the last restore.</summary>
    [Id(8)] public AuditReport? LastAudit { get; init; }

    /// <summary>Restarts of this process on its card since the card started.</summary>
    [Id(9)] public int Restarts { get; init; }

    /// <summary>Why the process is quarantined or fenced, when it is.</summary>
    [Id(10)] public string? Reason { get; init; }

    /// <summary>Time from activation start to ready for the last restore, in milliseconds.</summary>
    [Id(11)] public double? LastRestoreMs { get; init; }

    /// <summary>Replication mode in force.</summary>
    [Id(12)] public string? ReplicationMode { get; init; }

    /// <summary>True while every replica holds the state on another live card.</summary>
    [Id(13)] public bool Protected { get; init; }

    /// <summary>Since when the process has been unprotected (a replica missing), or null.</summary>
    [Id(14)] public DateTimeOffset? UnprotectedSince { get; init; }

    /// <summary>How long the last unprotected period lasted (until re-protection), in milliseconds.</summary>
    [Id(15)] public double? LastUnprotectedMs { get; init; }

    /// <summary>Unprotected time of this activation in total, in milliseconds.</summary>
    [Id(16)] public double TotalUnprotectedMs { get; init; }
}
