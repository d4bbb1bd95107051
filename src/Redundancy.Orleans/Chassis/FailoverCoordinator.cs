namespace Redundancy.Orleans.Chassis;

/// <summary>
/// The chassis manager's side of a failover, as deterministic logic with no grain around it: it opens the event of a
/// slot change (detect → place: <see cref="Open"/>), matches each process's ready report (activate → restore → audit happen
/// on the new card, in the process's <c>[ReplicatedState]</c>, which reports when it serves) to the open event it closes
/// (<see cref="Match"/>, <see cref="EarlyReady"/>), and counts it (<see cref="Count"/>) until every process of the slot is
/// ready. <see cref="ChassisManagerGrain"/> commits what this returns and emits the metrics, spans and diagnostics.
/// </summary>
internal sealed class FailoverCoordinator
{
    /// <summary>How long a ready report is remembered for an event that opens after it (see <see cref="EarlyReady"/>).</summary>
    public static readonly TimeSpan EarlyReadyWindow = TimeSpan.FromMinutes(1);

    /// <summary>The last ready report of each process within <see cref="EarlyReadyWindow"/> (this activation's memory).</summary>
    private readonly Dictionary<string, ProcessReadyReport> _recentlyReady = new(StringComparer.Ordinal);

    /// <summary>The event of one slot change of a committed slot map (detect → place), described.</summary>
    public static ChassisEvent Open(SlotAssignment.Change change, long id, DateTimeOffset detectedAt, DateTimeOffset placedAt, double placeMs, DateTimeOffset? faultAt, int processes)
    {
        var e = new ChassisEvent
        {
            Id = id,
            Kind = change.Kind,
            CardId = change.OldCard ?? change.NewCard ?? "?",
            Slot = change.Slot,
            NewCardId = change.NewCard,
            FaultAt = faultAt,
            DetectedAt = detectedAt,
            PlacedAt = placedAt,
            DetectMs = faultAt is { } at ? (detectedAt - at).TotalMilliseconds : null,
            PlaceMs = placeMs,
            Processes = processes,
        };
        return e with { Message = Describe(e) };
    }

    /// <summary>
    /// Remembers <paramref name="report"/> and finds the open event it counts for, with the report as it counts (a report
    /// from before the event opened counts as ready when the slot was placed). After a card failure, a process on the
    /// event's new card (a spare, which held nothing) may have become ready a moment before the event was opened: it is
    /// ready there. Switchovers keep the strict order: the target card may have held the process before.
    /// </summary>
    public (ChassisEvent Open, ProcessReadyReport Report)? Match(IEnumerable<ChassisEvent> events, ProcessReadyReport report, DateTimeOffset now)
    {
        foreach (var old in _recentlyReady.Where(r => r.Value.ReadyAt < now - EarlyReadyWindow).Select(r => r.Key).ToList())
        {
            _recentlyReady.Remove(old);
        }

        _recentlyReady[report.Process] = report;
        var open = events.LastOrDefault(e => e is { Kind: ChassisEventKind.CardFailover or ChassisEventKind.SlotRestored or ChassisEventKind.Switchover, ReadyAt: null }
            && e.Slot == report.Slot
            && (e.NewCardId is null || e.NewCardId == report.CardId)
            && (report.ReadyAt >= e.DetectedAt || (e.Kind == ChassisEventKind.CardFailover && e.NewCardId == report.CardId && report.ReadyAt >= e.DetectedAt - EarlyReadyWindow)));
        return open is null ? null : (open, report.ReadyAt < open.DetectedAt ? AsOfPlacement(open, report) : report);
    }

    /// <summary>
    /// The remembered reports a just-opened card failover counts at once: a process can be ready on its new card before
    /// the manager opens the event (the card's death reached the cards' placement first, so its report found no event).
    /// Each counts as ready when the slot was placed.
    /// </summary>
    public IReadOnlyList<ProcessReadyReport> EarlyReady(ChassisEvent opened) =>
        opened.Kind != ChassisEventKind.CardFailover
            ? []
            : _recentlyReady.Values
                .Where(r => r.Slot == opened.Slot && r.CardId == opened.NewCardId && r.ReadyAt < opened.DetectedAt && r.ReadyAt >= opened.DetectedAt - EarlyReadyWindow)
                .OrderBy(r => r.Process, StringComparer.Ordinal)
                .Select(r => AsOfPlacement(opened, r))
                .ToList();

    /// <summary>
    /// <paramref name="open"/> with <paramref name="report"/> counted: null when the process was counted already. Complete
    /// (<c>ReadyAt</c> set, timings and message final) when every process of the slot is ready. The ready set lives in the
    /// event, which is replicated: a new activation of the manager goes on counting.
    /// </summary>
    public static ChassisEvent? Count(ChassisEvent open, ProcessReadyReport report)
    {
        var ready = new HashSet<string>(open.ReadyProcesses, StringComparer.Ordinal);
        if (!ready.Add(report.Process))
        {
            return null;
        }

        var done = ready.Count >= open.Processes;
        var start = open.FaultAt ?? open.DetectedAt;
        var updated = open with
        {
            ProcessesReady = ready.Count,
            ReadyProcesses = [.. ready.Order(StringComparer.Ordinal)],
            RestoreMs = Math.Max(open.RestoreMs ?? 0, report.RestoreMs),
            AuditMs = Math.Max(open.AuditMs ?? 0, report.AuditMs),
            ReadyAt = done ? report.ReadyAt : null,
            TotalMs = done ? (report.ReadyAt - start).TotalMilliseconds : null,
        };
        return done ? updated with { Message = Describe(updated) } : updated;
    }

    /// <summary>The operator's line for an event: what moved where, and once complete, how long each phase took.</summary>
    public static string Describe(ChassisEvent e)
    {
        var target = e.NewCardId is null ? "no spare left: processes spread over the active cards (degraded)" : $"card {e.NewCardId}";
        var head = e.Kind switch
        {
            ChassisEventKind.CardFailover => $"card {e.CardId} failed: slot {e.Slot} -> {target}",
            ChassisEventKind.SlotRestored => $"slot {e.Slot} restored on spare {e.NewCardId}",
            ChassisEventKind.Switchover => $"slot {e.Slot} switched over from card {e.CardId} to card {e.NewCardId}",
            _ => $"{e.Kind} {e.CardId}",
        };
        if (e.ReadyAt is null)
        {
            return head;
        }

        static string Ms(double? v) => v is { } x ? $"{x:0} ms" : "n/a";
        return $"{head}; {e.ProcessesReady}/{e.Processes} processes ready in {Ms(e.TotalMs)} (detect {Ms(e.DetectMs)}, place {Ms(e.PlaceMs)}, restore {Ms(e.RestoreMs)}, audit {Ms(e.AuditMs)})";
    }

    private static ProcessReadyReport AsOfPlacement(ChassisEvent e, ProcessReadyReport r) => r with { ReadyAt = e.PlacedAt ?? e.DetectedAt };
}
