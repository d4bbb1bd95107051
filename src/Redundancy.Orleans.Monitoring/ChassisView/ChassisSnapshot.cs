using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Monitoring.ChassisView;

/// <summary>What the chassis view shows: the status, the timeline, and whether actions are offered.</summary>
public sealed record ChassisSnapshot
{
    /// <summary>Increases whenever the content changed.</summary>
    public long Version { get; init; }

    /// <summary>When the chassis was last read successfully.</summary>
    public DateTimeOffset? ReadAt { get; init; }

    /// <summary>Cards and processes (null until the first successful read).</summary>
    public ChassisStatus? Status { get; init; }

    /// <summary>Newest first: chassis events and what the view derived from status changes.</summary>
    public IReadOnlyList<TimelineEntry> Timeline { get; init; } = [];

    /// <summary>Why the last read failed, if it did.</summary>
    public string? Error { get; init; }

    /// <summary>True when the dashboard offers actions (they still need the token).</summary>
    public bool ActionsEnabled { get; init; }
}

/// <summary>One line of the event timeline.</summary>
public sealed record TimelineEntry
{
    /// <summary>Stable id (<c>event-12</c> for a chassis event, <c>process-bgp-1-e3</c> for a derived one).</summary>
    public required string Id { get; init; }

    /// <summary>When it happened (or was seen).</summary>
    public DateTimeOffset At { get; init; }

    /// <summary><c>card-failover</c>, <c>card-joined</c>, <c>slot-restored</c>, <c>card-left</c>, <c>process-restart</c>,
    /// <c>process-moved</c>, <c>quarantine</c>, <c>unprotected</c>, <c>reprotected</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>A human-readable line.</summary>
    public required string Message { get; init; }

    /// <summary>False while a failover is still running (processes not all ready).</summary>
    public bool Completed { get; init; } = true;

    /// <summary>Card concerned.</summary>
    public string? CardId { get; init; }

    /// <summary>Card that took over.</summary>
    public string? NewCardId { get; init; }

    /// <summary>Slot concerned.</summary>
    public int? Slot { get; init; }

    /// <summary>Process concerned.</summary>
    public string? Process { get; init; }

    /// <summary>Failover phase: fault to detection.</summary>
    public double? DetectMs { get; init; }

    /// <summary>Failover phase: detection to slot map change.</summary>
    public double? PlaceMs { get; init; }

    /// <summary>Failover phase (or a restart): longest restore.</summary>
    public double? RestoreMs { get; init; }

    /// <summary>Failover phase (or a restart): longest audit.</summary>
    public double? AuditMs { get; init; }

    /// <summary>Fault to every process ready (or a restart's restore time).</summary>
    public double? TotalMs { get; init; }
}
