using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;

namespace Redundancy.Orleans.Diagnostics;

/// <summary>
/// The runtime's instruments of the <c>Redundancy.Orleans</c> meter (names, units and attributes: <see cref="Instruments"/>).
/// Counters and histograms are recorded where the thing happens; the gauges (replica lag, unprotected processes)
/// read what each primary on this card last reported through <see cref="ReportProcess"/>, and the card gauge reads
/// membership through the card directory of this silo. Durations are recorded in seconds (OpenTelemetry convention);
/// callers pass milliseconds, as the rest of the product measures them.
/// </summary>
internal static class RedundancyMetrics
{
    private static readonly ConcurrentDictionary<string, ProcessGauge> Processes = new(StringComparer.Ordinal);
    private static CardDirectory? _cards;

    private static readonly Histogram<double> ReplicationDuration = Histogram(Instruments.ReplicationDuration);
    private static readonly Counter<long> Deltas = Counter(Instruments.ReplicationDeltas);
    private static readonly Counter<long> Bytes = Counter(Instruments.ReplicationBytes);
    private static readonly Counter<long> Restarts = Counter(Instruments.ProcessRestarts);
    private static readonly Counter<long> Quarantines = Counter(Instruments.ProcessQuarantines);
    private static readonly Histogram<double> RestoreDuration = Histogram(Instruments.ProcessRestoreDuration);
    private static readonly Counter<long> AuditDiscrepancies = Counter(Instruments.AuditDiscrepancies);
    private static readonly Counter<long> Failovers = Counter(Instruments.Failovers);
    private static readonly Histogram<double> FailoverPhase = Histogram(Instruments.FailoverPhaseDuration);

    private static readonly Counter<long> Violations = Counter(Instruments.ProtocolViolations);
    private static readonly Counter<long> NotProtected = Counter(Instruments.WritesNotProtected);
    private static readonly Counter<long> ClosedPortDeaths = Counter(Instruments.ClosedPortDeaths);

    static RedundancyMetrics()
    {
        Gauge(Instruments.ReplicationLag, ObserveLag);
        Gauge(Instruments.ProcessesUnprotected, () => [new Measurement<long>(Processes.Values.Count(p => !p.Protected))]);
        Gauge(Instruments.Cards, ObserveCards);
    }

    /// <summary>Creates the instruments (including the gauges) now, so that a card exposes them before anything happened.</summary>
    public static void EnsureCreated()
    {
    }

    /// <summary>The card gauge reads this silo's view of the chassis (one silo per process; in-process test clusters share it).</summary>
    public static void ObserveCards(CardDirectory cards) => _cards = cards;

    public static bool BytesEnabled => Bytes.Enabled;

    public static void ReplicationSent(int deltas, double latencyMs)
    {
        if (deltas > 0)
        {
            Deltas.Add(deltas);
        }

        ReplicationDuration.Record(Seconds(latencyMs), Tag(TelemetryAttributes.Kind, deltas > 0 ? "deltas" : "snapshot"));
    }

    public static void BytesSent(long bytes, string kind) => Bytes.Add(bytes, Tag(TelemetryAttributes.Kind, kind));

    public static void ProtocolViolations(string process, int count) => Violations.Add(count, Tag(TelemetryAttributes.Process, process));

    public static void WriteNotProtected(string process, string outcome) =>
        NotProtected.Add(1, Tag(TelemetryAttributes.Process, process), Tag(TelemetryAttributes.Outcome, outcome));

    /// <summary>This card declared a silo dead on closed-port evidence (its process was gone).</summary>
    public static void ClosedPortDeath() => ClosedPortDeaths.Add(1);

    public static void Restarted(string process) => Restarts.Add(1, Tag(TelemetryAttributes.Process, process));

    public static void Quarantined(string process) => Quarantines.Add(1, Tag(TelemetryAttributes.Process, process));

    /// <summary>A primary restored and audited, ready to serve: timed and counted.</summary>
    public static void Restored(string process, double ms, AuditReport audit)
    {
        RestoreDuration.Record(Seconds(ms), Tag(TelemetryAttributes.Process, process));
        Discrepancies("missing", audit.Missing);
        Discrepancies("stale", audit.Stale);
        Discrepancies("wrong", audit.Wrong);
    }

    public static void FailoverStarted(ChassisEvent e) =>
        Failovers.Add(1, Tag(TelemetryAttributes.Kind, e.Kind == ChassisEventKind.CardFailover ? "card_failover" : "slot_restored"), Tag(TelemetryAttributes.Degraded, e.NewCardId is null));

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
            AuditDiscrepancies.Add(count, Tag(TelemetryAttributes.Kind, kind));
        }
    }

    private static void Phase(string phase, double? ms)
    {
        if (ms is { } v)
        {
            FailoverPhase.Record(Seconds(v), Tag(TelemetryAttributes.Phase, phase));
        }
    }

    private static IEnumerable<Measurement<long>> ObserveLag() =>
        Processes.Select(p => new Measurement<long>(p.Value.Lag, Tag(TelemetryAttributes.Process, p.Key)));

    /// <summary>
    /// Every role and state, zeros included: an alert on "no spare alive" needs a series that says 0, not none.
    /// </summary>
    private static IEnumerable<Measurement<long>> ObserveCards()
    {
        if (_cards is not { } directory)
        {
            return [];
        }

        var cards = directory.GetCards().Select(c => c.Card).ToList();
        return from role in new[] { CardRoles.Control, CardRoles.Line, CardRoles.Spare }
               from alive in new[] { true, false }
               select new Measurement<long>(cards.Count(c => c.Role == role && c.Alive == alive),
                   Tag(TelemetryAttributes.CardRole, role), Tag(TelemetryAttributes.CardState, alive ? "alive" : "dead"));
    }

    private static double Seconds(double ms) => ms / 1000;

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private static Counter<long> Counter(InstrumentDefinition d) =>
        RedundancyTelemetry.Meter.CreateCounter<long>(d.Name, d.Unit, d.Description);

    private static Histogram<double> Histogram(InstrumentDefinition d) =>
        RedundancyTelemetry.Meter.CreateHistogram(d.Name, d.Unit, d.Description, tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Instruments.DurationBuckets });

    private static void Gauge(InstrumentDefinition d, Func<IEnumerable<Measurement<long>>> observe) =>
        RedundancyTelemetry.Meter.CreateObservableGauge(d.Name, observe, d.Unit, d.Description);

    private readonly record struct ProcessGauge(long Lag, bool Protected);
}
