namespace Redundancy.Orleans.Audit;

/// <summary>
/// Result of reconciling restored state with the associated processes before serving (M8).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AuditReport
{
    /// <summary>Entries compared.</summary>
    [Id(0)] public int Checked { get; set; }

    /// <summary>Entries an associated process lacked (or the restored state lacked).</summary>
    [Id(1)] public int Missing { get; set; }

    /// <summary>Entries an associated process held that should no longer exist.</summary>
    [Id(2)] public int Stale { get; set; }

    /// <summary>Entries present on both sides with different content.</summary>
    [Id(3)] public int Wrong { get; set; }

    /// <summary>Entries repaired (re-programmed, re-advertised or recovered).</summary>
    [Id(4)] public int Repaired { get; set; }

    /// <summary>How long the audit took, in milliseconds.</summary>
    [Id(5)] public double DurationMs { get; set; }

    /// <summary>Per associated process (forwarding table, each peer): what was found.</summary>
    [Id(6)] public IReadOnlyList<AuditFinding> Findings { get; set; } = [];

    /// <summary>Sequence number the restored state had before the audit.</summary>
    [Id(7)] public long RestoredSeq { get; set; }

    /// <summary>Sequence number after the audit (higher when the audit closed a periodic-mode gap).</summary>
    [Id(8)] public long AuditedSeq { get; set; }

    /// <summary>
    /// Changes brought back into the restored state from associated processes (periodic mode: the last flush interval;
    /// a release with rebuild: everything). In synchronous mode any recovery is a protocol violation (I6).
    /// </summary>
    [Id(9)] public int Recovered { get; set; }

    /// <summary>Changes the audit knows were lost and could not recover (for example non-best paths of the last flush interval).</summary>
    [Id(10)] public int Unrecoverable { get; set; }

    /// <summary>
    /// Protocol violations (I6): in synchronous mode an associated process held acknowledged changes the restored state
    /// lacked. Logged as an error and counted in a metric; never expected.
    /// </summary>
    [Id(11)] public int Violations { get; set; }

    /// <summary>True when nothing needed repair.</summary>
    public bool Clean => Missing == 0 && Stale == 0 && Wrong == 0;
}

/// <summary>What the audit found against one associated process.</summary>
[GenerateSerializer, Immutable]
public sealed record AuditFinding
{
    /// <summary>The associated process, for example <c>fib@card-2</c> or <c>peer:bgp-3</c>.</summary>
    [Id(0)] public required string Target { get; set; }

    /// <summary>Missing entries.</summary>
    [Id(1)] public int Missing { get; set; }

    /// <summary>Stale entries.</summary>
    [Id(2)] public int Stale { get; set; }

    /// <summary>Wrong entries.</summary>
    [Id(3)] public int Wrong { get; set; }

    /// <summary>What was done, in words.</summary>
    [Id(4)] public string? Action { get; set; }
}
