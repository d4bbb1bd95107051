using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Monitoring.ChassisView;

/// <summary>
/// Builds the event timeline: the chassis manager's events (failovers with their phases) plus what only
/// shows as a change between two reads of the status — a process restarted (new epoch on the same card) or
/// came back on another card, was quarantined, lost or regained its protection. Not thread-safe: the feed
/// calls it from its one loop.
/// </summary>
internal sealed class ChassisTimeline
{
    private const int MaxDerived = 200;
    private readonly List<TimelineEntry> _derived = [];
    private Dictionary<string, ProcessStatus>? _previous;

    // The last status of each process that had an epoch: a process that did not answer during a failover
    // reads as inactive with epoch 0, and its restart must still be seen against the epoch before.
    private readonly Dictionary<string, ProcessStatus> _lastServing = new(StringComparer.Ordinal);

    public IReadOnlyList<TimelineEntry> Update(ChassisStatus status, IReadOnlyList<ChassisEvent> events, DateTimeOffset now)
    {
        var current = status.Processes.ToDictionary(p => p.Name, StringComparer.Ordinal);
        if (_previous is not null)
        {
            foreach (var p in status.Processes)
            {
                if (_previous.TryGetValue(p.Name, out var before))
                {
                    Derive(before, p, now);
                }

                if (_lastServing.TryGetValue(p.Name, out var serving))
                {
                    DeriveRestart(serving, p, now);
                }
            }
        }

        _previous = current;
        foreach (var p in status.Processes.Where(p => p.Epoch > 0))
        {
            _lastServing[p.Name] = p;
        }

        if (_derived.Count > MaxDerived)
        {
            _derived.RemoveRange(0, _derived.Count - MaxDerived);
        }

        return events.Select(FromEvent).Concat(_derived).OrderByDescending(e => e.At).ThenByDescending(e => e.Id, StringComparer.Ordinal).ToList();
    }

    private void DeriveRestart(ProcessStatus before, ProcessStatus now, DateTimeOffset at)
    {
        if (now.State == ProcessState.Ready && now.Epoch > before.Epoch)
        {
            var moved = now.CardId != before.CardId;
            var audit = now.LastAudit is { } a ? $"audit checked {a.Checked}, repaired {a.Repaired}" : "no audit";
            _derived.Add(new TimelineEntry
            {
                Id = $"process-{now.Name}-e{now.Epoch}",
                At = at,
                Kind = moved ? "process-moved" : "process-restart",
                Message = moved
                    ? $"{now.Name} ready on {now.CardId} (was {before.CardId}): epoch {now.Epoch}, seq {now.Seq}, ready in {now.LastRestoreMs:0} ms, {audit}"
                    : $"{now.Name} restarted on {now.CardId}: epoch {now.Epoch}, seq {now.Seq}, ready in {now.LastRestoreMs:0} ms, {audit}",
                Process = now.Name,
                CardId = now.CardId,
                Slot = now.Slot,
                TotalMs = now.LastRestoreMs,
                AuditMs = now.LastAudit?.DurationMs,
            });
        }
    }

    private void Derive(ProcessStatus before, ProcessStatus now, DateTimeOffset at)
    {
        if (now.State == ProcessState.Quarantined && before.State != ProcessState.Quarantined)
        {
            Add("quarantine", now, at, $"{now.Name} quarantined on {now.CardId}: {now.Reason}");
        }

        if (before is { Protected: true, State: ProcessState.Ready } && !now.Protected && now.State == ProcessState.Ready)
        {
            var missing = now.Replicas.FirstOrDefault(r => !r.InSync)?.LastError;
            Add("unprotected", now, at, $"{now.Name} unprotected{(missing is null ? "" : ": " + missing)}");
        }

        if (before is { Protected: false, State: ProcessState.Ready } && now is { Protected: true, State: ProcessState.Ready } && now.Epoch == before.Epoch)
        {
            Add("reprotected", now, at, $"{now.Name} re-protected after {now.LastUnprotectedMs:0} ms unprotected (replicas on {string.Join(", ", now.Replicas.Select(r => r.CardId))})",
                now.LastUnprotectedMs);
        }
    }

    private void Add(string kind, ProcessStatus p, DateTimeOffset at, string message, double? totalMs = null) =>
        _derived.Add(new TimelineEntry
        {
            Id = $"{kind}-{p.Name}-{at.ToUnixTimeMilliseconds()}",
            At = at,
            Kind = kind,
            Message = message,
            Process = p.Name,
            CardId = p.CardId,
            Slot = p.Slot,
            TotalMs = totalMs,
        });

    private static TimelineEntry FromEvent(ChassisEvent e) => new()
    {
        Id = $"event-{e.Id}",
        At = e.DetectedAt,
        Kind = e.Kind switch
        {
            ChassisEventKind.CardFailover => "card-failover",
            ChassisEventKind.CardJoined => "card-joined",
            ChassisEventKind.SlotRestored => "slot-restored",
            ChassisEventKind.Switchover => "switchover",
            ChassisEventKind.Upgrade => "upgrade",
            _ => "card-left",
        },
        Message = e.Message ?? $"{e.Kind} {e.CardId}",
        Completed = e.Kind is not (ChassisEventKind.CardFailover or ChassisEventKind.SlotRestored or ChassisEventKind.Switchover) || e.ReadyAt is not null,
        CardId = e.CardId,
        NewCardId = e.NewCardId,
        Slot = e.Slot,
        DetectMs = e.DetectMs,
        PlaceMs = e.PlaceMs,
        RestoreMs = e.RestoreMs,
        AuditMs = e.AuditMs,
        TotalMs = e.TotalMs,
    };
}
