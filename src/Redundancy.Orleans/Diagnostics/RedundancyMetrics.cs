using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;

namespace Redundancy.Orleans.Diagnostics;

/// <summary>
/// One silo's instruments of the <c>Redundancy.Orleans</c> meter (names, units and attributes: <see cref="Instruments"/>),
/// created through the silo's <see cref="IMeterFactory"/>: each silo has its own meter, so the gauges of two silos in
/// one process (an in-process test cluster, a host running several cards) never mix. Counters and histograms are
/// recorded where the thing happens; the gauges (replica lag, unprotected processes) read what each primary on this
/// card last reported through <see cref="ReportProcess"/>, and the card gauge reads membership through this silo's
/// card directory once the silo runs. Durations are recorded in seconds (OpenTelemetry convention); callers pass
/// milliseconds, as the rest of the product measures them.
/// </summary>
internal sealed class RedundancyMetrics
{
    private readonly ConcurrentDictionary<string, ProcessGauge> _processes = new(StringComparer.Ordinal);
    private readonly Meter _meter;
    private volatile CardDirectory? _cards;

    private readonly Histogram<double> _replicationDuration;
    private readonly Counter<long> _deltas;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _restarts;
    private readonly Counter<long> _quarantines;
    private readonly Histogram<double> _restoreDuration;
    private readonly Counter<long> _auditDiscrepancies;
    private readonly Counter<long> _failovers;
    private readonly Histogram<double> _failoverPhase;
    private readonly Counter<long> _violations;
    private readonly Counter<long> _notProtected;
    private readonly Counter<long> _closedPortDeaths;

    public RedundancyMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(new MeterOptions(TelemetryNames.Meter) { Version = typeof(RedundancyMetrics).Assembly.GetName().Version?.ToString() });
        _replicationDuration = Histogram(Instruments.ReplicationDuration);
        _deltas = Counter(Instruments.ReplicationDeltas);
        _bytes = Counter(Instruments.ReplicationBytes);
        _restarts = Counter(Instruments.ProcessRestarts);
        _quarantines = Counter(Instruments.ProcessQuarantines);
        _restoreDuration = Histogram(Instruments.ProcessRestoreDuration);
        _auditDiscrepancies = Counter(Instruments.AuditDiscrepancies);
        _failovers = Counter(Instruments.Failovers);
        _failoverPhase = Histogram(Instruments.FailoverPhaseDuration);
        _violations = Counter(Instruments.ProtocolViolations);
        _notProtected = Counter(Instruments.WritesNotProtected);
        _closedPortDeaths = Counter(Instruments.ClosedPortDeaths);
        Gauge(Instruments.ReplicationLag, ObserveLag);
        Gauge(Instruments.ProcessesUnprotected, () => [new Measurement<long>(_processes.Values.Count(p => !p.Protected))]);
        Gauge(Instruments.Cards, ObserveCards);
    }

    /// <summary>The card gauge reads this silo's view of the chassis from now on (the silo is running).</summary>
    public void ObserveCards(CardDirectory cards) => _cards = cards;

    public bool BytesEnabled => _bytes.Enabled;

    public void ReplicationSent(int deltas, double latencyMs)
    {
        if (deltas > 0)
        {
            _deltas.Add(deltas);
        }

        _replicationDuration.Record(Seconds(latencyMs), Tag(TelemetryAttributes.Kind, deltas > 0 ? "deltas" : "snapshot"));
    }

    public void BytesSent(long bytes, string kind) => _bytes.Add(bytes, Tag(TelemetryAttributes.Kind, kind));

    public void ProtocolViolations(string process, int count) => _violations.Add(count, Tag(TelemetryAttributes.Process, process));

    public void WriteNotProtected(string process, string outcome) =>
        _notProtected.Add(1, Tag(TelemetryAttributes.Process, process), Tag(TelemetryAttributes.Outcome, outcome));

    /// <summary>This card declared a silo dead on closed-port evidence (its process was gone).</summary>
    public void ClosedPortDeath() => _closedPortDeaths.Add(1);

    public void Restarted(string process) => _restarts.Add(1, Tag(TelemetryAttributes.Process, process));

    public void Quarantined(string process) => _quarantines.Add(1, Tag(TelemetryAttributes.Process, process));

    /// <summary>A primary restored and audited, ready to serve: timed and counted.</summary>
    public void Restored(string process, double ms, AuditReport audit)
    {
        _restoreDuration.Record(Seconds(ms), Tag(TelemetryAttributes.Process, process));
        Discrepancies("missing", audit.Missing);
        Discrepancies("stale", audit.Stale);
        Discrepancies("wrong", audit.Wrong);
    }

    public void FailoverStarted(ChassisEvent e) =>
        _failovers.Add(1, Tag(TelemetryAttributes.Kind, e.Kind == ChassisEventKind.CardFailover ? "card_failover" : "slot_restored"), Tag(TelemetryAttributes.Degraded, e.NewCardId is null));

    public void FailoverCompleted(ChassisEvent e)
    {
        Phase("detect", e.DetectMs);
        Phase("place", e.PlaceMs);
        Phase("restore", e.RestoreMs);
        Phase("audit", e.AuditMs);
        Phase("total", e.TotalMs);
    }

    /// <summary>A primary on this card reports its replica lag and protection (gauges read the last report).</summary>
    public void ReportProcess(string process, long lag, bool isProtected) => _processes[process] = new ProcessGauge(lag, isProtected);

    /// <summary>The primary left this card (deactivated, crashed, moved).</summary>
    public void ForgetProcess(string process) => _processes.TryRemove(process, out _);

    private void Discrepancies(string kind, int count)
    {
        if (count > 0)
        {
            _auditDiscrepancies.Add(count, Tag(TelemetryAttributes.Kind, kind));
        }
    }

    private void Phase(string phase, double? ms)
    {
        if (ms is { } v)
        {
            _failoverPhase.Record(Seconds(v), Tag(TelemetryAttributes.Phase, phase));
        }
    }

    private IEnumerable<Measurement<long>> ObserveLag() =>
        _processes.Select(p => new Measurement<long>(p.Value.Lag, Tag(TelemetryAttributes.Process, p.Key)));

    /// <summary>
    /// Every role and state, zeros included: an alert on "no spare alive" needs a series that says 0, not none.
    /// </summary>
    private IEnumerable<Measurement<long>> ObserveCards()
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

    private Counter<long> Counter(InstrumentDefinition d) =>
        _meter.CreateCounter<long>(d.Name, d.Unit, d.Description);

    private Histogram<double> Histogram(InstrumentDefinition d) =>
        _meter.CreateHistogram(d.Name, d.Unit, d.Description, tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Instruments.DurationBuckets });

    private void Gauge(InstrumentDefinition d, Func<IEnumerable<Measurement<long>>> observe) =>
        _meter.CreateObservableGauge(d.Name, observe, d.Unit, d.Description);

    private readonly record struct ProcessGauge(long Lag, bool Protected);
}
