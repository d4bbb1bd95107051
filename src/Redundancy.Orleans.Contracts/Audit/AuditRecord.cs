namespace Redundancy.Orleans.Audit;

/// <summary>One audit in a process's audit history (<c>GET /api/processes/{name}/audits</c>): a restore and what its audit found.</summary>
[GenerateSerializer, Immutable]
public sealed record AuditRecord
{
    /// <summary>Number in the process's history, increasing; page with <c>after</c>.</summary>
    [Id(0)] public long Id { get; set; }

    /// <summary>The process.</summary>
    [Id(1)] public required string Process { get; set; }

    /// <summary>The card it restored on.</summary>
    [Id(2)] public string? CardId { get; set; }

    /// <summary>When the process became ready after the restore and audit.</summary>
    [Id(3)] public DateTimeOffset At { get; set; }

    /// <summary>Activation start to ready, in milliseconds.</summary>
    [Id(4)] public double RestoreMs { get; set; }

    /// <summary>What the audit found before the process served (M8).</summary>
    [Id(5)] public required AuditReport Report { get; set; }
}
