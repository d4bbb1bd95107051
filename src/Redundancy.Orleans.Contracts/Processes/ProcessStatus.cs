using Redundancy.Orleans.Audit;

namespace Redundancy.Orleans.Processes;

/// <summary>Status of one redundant process (primary) as reported by the process itself.</summary>
[GenerateSerializer, Immutable]
public sealed record ProcessStatus
{
    /// <summary>Process name (the grain key).</summary>
    [Id(0)] public required string Name { get; set; }

    /// <summary>Slot the process is assigned to.</summary>
    [Id(1)] public int Slot { get; set; }

    /// <summary>Card the primary runs on.</summary>
    [Id(2)] public string? CardId { get; set; }

    /// <summary>Life-cycle state.</summary>
    [Id(3)] public ProcessState State { get; set; }

    /// <summary>This primary's ballot (kept under the name <c>epoch</c>): unique per activation, higher for every newer one (I5).</summary>
    [Id(4)] public long Epoch { get; set; }

    /// <summary>Sequence number of the last applied change.</summary>
    [Id(5)] public long Seq { get; set; }

    /// <summary>Size of the application state (routes for the routing application).</summary>
    [Id(6)] public int StateSize { get; set; }

    /// <summary>The replicas and how far they are.</summary>
    [Id(7)] public IReadOnlyList<ReplicaInfo> Replicas { get; set; } = [];

    /// <summary>The audit that ran after the last restore.</summary>
    [Id(8)] public AuditReport? LastAudit { get; set; }

    /// <summary>Restarts of this process on its card since the card started.</summary>
    [Id(9)] public int Restarts { get; set; }

    /// <summary>Why the process is quarantined or fenced, when it is.</summary>
    [Id(10)] public string? Reason { get; set; }

    /// <summary>Time from activation start to ready for the last restore, in milliseconds.</summary>
    [Id(11)] public double? LastRestoreMs { get; set; }

    /// <summary>Replication mode in force.</summary>
    [Id(12)] public string? ReplicationMode { get; set; }

    /// <summary>True while the in-sync set has at least <see cref="MinInSyncReplicas"/> members on distinct other cards.</summary>
    [Id(13)] public bool Protected { get; set; }

    /// <summary>Since when the process has been unprotected (a replica missing), or null.</summary>
    [Id(14)] public DateTimeOffset? UnprotectedSince { get; set; }

    /// <summary>How long the last unprotected period lasted (until re-protection), in milliseconds.</summary>
    [Id(15)] public double? LastUnprotectedMs { get; set; }

    /// <summary>Unprotected time of this activation in total, in milliseconds.</summary>
    [Id(16)] public double TotalUnprotectedMs { get; set; }

    /// <summary>Members of the in-sync set on distinct cards other than the primary's (what protection counts).</summary>
    [Id(17)] public int InSyncReplicas { get; set; }

    /// <summary>The in-sync set's version in the ledger (grows with every recorded change, I3).</summary>
    [Id(18)] public long InSyncVersion { get; set; }

    /// <summary>The members a write needs for protection.</summary>
    [Id(19)] public int MinInSyncReplicas { get; set; }

    /// <summary>Every change up to this seq is protected.</summary>
    [Id(20)] public long ProtectedSeq { get; set; }

    /// <summary>What the process does with a write it cannot protect: <c>RefuseUnprotected</c> or <c>AcceptUnprotected</c>.</summary>
    [Id(21)] public string? Durability { get; set; }

    /// <summary>For a process that cannot restore: which copies are missing and why.</summary>
    [Id(22)] public string? MissingCopies { get; set; }
}
