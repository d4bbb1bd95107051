using System.Diagnostics;
using Redundancy.Orleans.Diagnostics;

namespace Redundancy.Orleans.Chassis;

/// <summary>
/// Writes a completed failover as a trace after the fact: a <c>failover</c> span from fault (or detection)
/// to the last process ready, with one child span per phase. The phases happen on several cards and the
/// chassis manager only learns their durations, so the restore and audit spans are laid end to end before
/// the ready time (they are the longest restore and audit among the slot's processes).
/// </summary>
internal static class FailoverTrace
{
    public static void Record(ChassisEvent e)
    {
        if (!RedundancyTelemetry.ActivitySource.HasListeners() || e.ReadyAt is not { } ready)
        {
            return;
        }

        var previous = Activity.Current;
        Activity.Current = null; // a root span of its own, not a child of the grain call that closed it
        try
        {
            var start = e.FaultAt ?? e.DetectedAt;
            using var failover = Start("failover", default, start);
            if (failover is null)
            {
                return;
            }

            failover.SetTag("redundancy.card", e.CardId);
            failover.SetTag("redundancy.slot", e.Slot);
            failover.SetTag("redundancy.new_card", e.NewCardId ?? "degraded");
            failover.SetTag("redundancy.processes", e.Processes);
            var parent = failover.Context;
            if (e.FaultAt is { } fault)
            {
                Child("failover.detect", parent, fault, e.DetectedAt);
            }

            var placed = e.PlacedAt ?? e.DetectedAt;
            Child("failover.place", parent, e.DetectedAt, placed);
            var auditStart = ready - TimeSpan.FromMilliseconds(e.AuditMs ?? 0);
            var restoreStart = auditStart - TimeSpan.FromMilliseconds(e.RestoreMs ?? 0);
            Child("failover.restore", parent, restoreStart < placed ? placed : restoreStart, auditStart);
            Child("failover.audit", parent, auditStart, ready);
            failover.SetEndTime(ready.UtcDateTime);
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    private static Activity? Start(string name, ActivityContext parent, DateTimeOffset start) =>
        RedundancyTelemetry.ActivitySource.StartActivity(name, ActivityKind.Internal, parent, startTime: start);

    private static void Child(string name, ActivityContext parent, DateTimeOffset start, DateTimeOffset end)
    {
        using var span = Start(name, parent, start);
        span?.SetEndTime((end < start ? start : end).UtcDateTime);
    }
}
