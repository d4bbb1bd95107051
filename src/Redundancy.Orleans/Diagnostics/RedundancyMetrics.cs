using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Chassis;

namespace Redundancy.Orleans.Diagnostics;

/// <summary>
/// The instruments of the <c>Redundancy.Orleans</c> meter. Counters and histograms are recorded where the
/// thing happens; the gauges (replica lag, unprotected processes) read what each primary on this card last
/// reported through <see cref="ReportProcess"/>.
/// </summary>
internal static class RedundancyMetrics
{
    private static readonly ConcurrentDictionary<string, ProcessGauge> Processes = new(StringComparer.Ordinal);

    private static readonly Histogram<double> ReplicationLatency = RedundancyTelemetry.Meter.CreateHistogram<double>(
        "redundancy.replication.latency", "ms", "Time from sending a batch of deltas (or a snapshot) to every replica's acknowledgement.");

    private static readonly Counter<long> Deltas = RedundancyTelemetry.Meter.CreateCounter<long>(
        "redundancy.replication.deltas", "{delta}", "Deltas sent to replicas.");

    private static readonly Counter<long> Bytes = RedundancyTelemetry.Meter.CreateCounter<long>(
        "redundancy.replication.bytes", "By", "Serialized bytes of delta batches and snapshots sent to replicas (per replica).");

    private static readonly Counter<long> Restarts = RedundancyTelemetry.Meter.CreateCounter<long>(
        "redundancy.process.restarts", "{restart}", "Process restarts on this card (crashes, failed restores).");

    private static readonly Counter<long> Quarantines = RedundancyTelemetry.Meter.CreateCounter<long>(
        "redundancy.process.quarantines", "{quarantine}", "Processes quarantined by the restart-intensity limit.");

    private static readonly Histogram<double> RestoreDuration = RedundancyTelemetry.Meter.CreateHistogram<double>(
        "redundancy.process.restore.duration", "ms", "Activation start to ready (restore, fencing and audit) of a primary.");

    private static readonly Counter<long> AuditDiscrepancies = RedundancyTelemetry.Meter.CreateCounter<long>(
        "redundancy.audit.discrepancies", "{entry}", "Entries an audit found missing, stale or wrong (tag kind).");

    private static readonly Counter<long> Failovers = RedundancyTelemetry.Meter.CreateCounter<long>(
        "redundancy.failovers", "{failover}", "Card failovers (slot moved to a spare, or degraded) and degraded slots restored.");

    private static readonly Histogram<double> FailoverPhase = RedundancyTelemetry.Meter.CreateHistogram<double>(
        "redundancy.failover.phase.duration", "ms", "Duration of each failover phase (tag phase: detect, place, restore, audit, total).");

    private static readonly Counter<long> Violations = RedundancyTelemetry.Meter.CreateCounter<long>(
        "redundancy.protocol.violations", "{change}", "Acknowledged changes an audit found missing from a restored state in synchronous mode (I6); never expected.");

    private static readonly Counter<long> NotProtected = RedundancyTelemetry.Meter.CreateCounter<long>(
        "redundancy.writes.not_protected", "{write}", "Writes refused as not protected (tag outcome=refused) or answered outcome unknown (outcome=outcome_unknown).");

    static RedundancyMetrics()
    {
        RedundancyTelemetry.Meter.CreateObservableGauge("redundancy.replication.lag", ObserveLag, "{delta}",
            "Per process: sequence numbers the furthest replica is behind the primary.");
        RedundancyTelemetry.Meter.CreateObservableGauge("redundancy.processes.unprotected", ObserveUnprotected, "{process}",
            "Primaries on this card with a replica missing (not protected against the loss of another card).");
    }

    /// <summary>Creates the instruments (including the gauges) now, so that a card exposes them before anything happened.</summary>
    public static void EnsureCreated()
    {
    }

    public static bool BytesEnabled => Bytes.Enabled;

    public static void ReplicationSent(int deltas, double latencyMs)
    {
        if (deltas > 0)
        {
            Deltas.Add(deltas);
        }

        ReplicationLatency.Record(latencyMs, new KeyValuePair<string, object?>("kind", deltas > 0 ? "deltas" : "snapshot"));
    }

    public static void BytesSent(long bytes, string kind) => Bytes.Add(bytes, new KeyValuePair<string, object?>("kind", kind));

    public static void ProtocolViolations(string process, int count) => Violations.Add(count, new KeyValuePair<string, object?>("process", process));

    public static void WriteNotProtected(string process, string outcome) =>
        NotProtected.Add(1, new KeyValuePair<string, object?>("process", process), new KeyValuePair<string, object?>("outcome", outcome));

    public static void Restarted(string process) => Restarts.Add(1, new KeyValuePair<string, object?>("process", process));

    public static void Quarantined(string process) => Quarantines.Add(1, new KeyValuePair<string, object?>("process", process));

    public static void Restored(string process, double ms, AuditReport audit)
    {
        RestoreDuration.Record(ms, new KeyValuePair<string, object?>("process", process));
        Discrepancies("missing", audit.Missing);
        Discrepancies("stale", audit.Stale);
        Discrepancies("wrong", audit.Wrong);
    }

    public static void FailoverStarted(ChassisEvent e) =>
        Failovers.Add(1, new("kind", e.Kind == ChassisEventKind.CardFailover ? "card_failover" : "slot_restored"), new("degraded", e.NewCardId is null));

    public static void FailoverCompleted(ChassisEvent e)
    {
        Phase("detect", e.DetectMs);
        Phase("place", e.PlaceMs);
        Phase("restore", e.RestoreMs);
        Phase("audit", e.AuditMs);
        Phase("total", e.TotalMs);
    }

    /// <summary>A primary on this card reports its replica lag and protection (gauges read the last report).</summary>
    public static void ReportProcess(string process, long lag, bool isProtected) => Processes[process] = new ProcessGauge(lag, isProtected);

    /// <summary>The primary left this card (deactivated, crashed, moved).</summary>
    public static void ForgetProcess(string process) => Processes.TryRemove(process, out _);

    private static void Discrepancies(string kind, int count)
    {
        if (count > 0)
        {
            AuditDiscrepancies.Add(count, new KeyValuePair<string, object?>("kind", kind));
        }
    }

    private static void Phase(string phase, double? ms)
    {
        if (ms is { } v)
        {
            FailoverPhase.Record(v, new KeyValuePair<string, object?>("phase", phase));
        }
    }

    private static IEnumerable<Measurement<long>> ObserveLag() =>
        Processes.Select(p => new Measurement<long>(p.Value.Lag, new KeyValuePair<string, object?>("process", p.Key)));

    private static int ObserveUnprotected() => Processes.Values.Count(p => !p.Protected);

    private readonly record struct ProcessGauge(long Lag, bool Protected);
}
