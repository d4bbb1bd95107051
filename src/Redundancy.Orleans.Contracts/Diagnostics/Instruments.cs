namespace Redundancy.Orleans.Diagnostics;

/// <summary>What an instrument measures over time.</summary>
public enum InstrumentKind
{
    /// <summary>A monotonic sum (Prometheus: <c>_total</c>).</summary>
    Counter,

    /// <summary>A distribution (Prometheus: <c>_bucket</c>, <c>_sum</c>, <c>_count</c>).</summary>
    Histogram,

    /// <summary>A value read when collected.</summary>
    Gauge,
}

/// <summary>One instrument of the <see cref="TelemetryNames.Meter"/> meter: its OpenTelemetry name, unit and attributes.</summary>
/// <param name="Name">OpenTelemetry name (dotted, lower case).</param>
/// <param name="Kind">Counter, histogram or gauge.</param>
/// <param name="Unit">UCUM unit: <c>s</c> for durations (OpenTelemetry convention), <c>By</c> bytes, <c>{thing}</c> counts.</param>
/// <param name="Description">What it measures, as exported.</param>
/// <param name="Attributes">The attributes its measurements carry.</param>
public sealed record InstrumentDefinition(string Name, InstrumentKind Kind, string Unit, string Description, IReadOnlyList<string> Attributes)
{
    /// <summary>
    /// The name under which the OpenTelemetry Prometheus exporter serves it: dots become underscores, the unit becomes a
    /// suffix unless the name ends with it (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>; annotations such as
    /// <c>{delta}</c> add none), and a
    /// counter ends in <c>_total</c>. A histogram's series add <c>_bucket</c>, <c>_sum</c> and <c>_count</c> to it.
    /// </summary>
    public string PrometheusName
    {
        get
        {
            var name = Name.Replace('.', '_');
            var suffix = Unit switch
            {
                "s" => "_seconds",
                "By" => "_bytes",
                _ => "",
            };
            // The exporter adds the unit only where the name does not already end with it (replication.bytes).
            return name + (name.EndsWith(suffix, StringComparison.Ordinal) ? "" : suffix) + (Kind == InstrumentKind.Counter ? "_total" : "");
        }
    }

    /// <summary>The Prometheus series names of this instrument (a histogram has three).</summary>
    public IReadOnlyList<string> PrometheusSeries => Kind == InstrumentKind.Histogram
        ? [PrometheusName + "_bucket", PrometheusName + "_sum", PrometheusName + "_count"]
        : [PrometheusName];

    /// <summary>The Prometheus label of an attribute (dots become underscores).</summary>
    public static string PrometheusLabel(string attribute) => attribute.Replace('.', '_');
}

/// <summary>Attribute names of the runtime's measurements (namespaced so that none collides with the standard <c>process.*</c>).</summary>
public static class TelemetryAttributes
{
    /// <summary>The redundant process (for example <c>bgp-1</c>, or <c>chassis</c> for the chassis manager).</summary>
    public const string Process = "redundancy.process";

    /// <summary>What was sent or found: <c>deltas</c>/<c>snapshot</c>, <c>missing</c>/<c>stale</c>/<c>wrong</c>, <c>card_failover</c>/<c>slot_restored</c>.</summary>
    public const string Kind = "kind";

    /// <summary>A failover's phase: <c>detect</c>, <c>place</c>, <c>restore</c>, <c>audit</c>, <c>total</c>.</summary>
    public const string Phase = "phase";

    /// <summary>A failover found no spare: the slot's processes spread over the active cards.</summary>
    public const string Degraded = "degraded";

    /// <summary>A card's role now: <c>control</c>, <c>line</c> or <c>spare</c>.</summary>
    public const string CardRole = "redundancy.card.role";

    /// <summary>How a write that was not protected ended: <c>refused</c> (nothing changed) or <c>outcome_unknown</c>.</summary>
    public const string Outcome = "outcome";

    /// <summary>A card's membership state: <c>alive</c> or <c>dead</c>.</summary>
    public const string CardState = "redundancy.card.state";
}

/// <summary>
/// Every instrument the product exports, in one place: the runtime and the hosts create them from here, the
/// documentation table (<c>docs/telemetry.md</c>) and the alert rules are checked against it. Add a new instrument
/// here first.
/// </summary>
public static class Instruments
{
    /// <summary>Time from sending a batch of deltas (or a snapshot) to every replica's acknowledgement.</summary>
    public static readonly InstrumentDefinition ReplicationDuration = new("redundancy.replication.duration", InstrumentKind.Histogram, "s",
        "Time from sending a batch of deltas (or a snapshot) to every replica's acknowledgement.", [TelemetryAttributes.Kind]);

    /// <summary>Deltas sent to replicas.</summary>
    public static readonly InstrumentDefinition ReplicationDeltas = new("redundancy.replication.deltas", InstrumentKind.Counter, "{delta}",
        "Deltas sent to replicas.", []);

    /// <summary>Serialized bytes sent to replicas.</summary>
    public static readonly InstrumentDefinition ReplicationBytes = new("redundancy.replication.bytes", InstrumentKind.Counter, "By",
        "Serialized bytes of delta batches and snapshots sent to replicas (per replica).", [TelemetryAttributes.Kind]);

    /// <summary>Per process: sequence numbers the furthest replica is behind.</summary>
    public static readonly InstrumentDefinition ReplicationLag = new("redundancy.replication.lag", InstrumentKind.Gauge, "{delta}",
        "Per process: sequence numbers the furthest replica is behind the primary.", [TelemetryAttributes.Process]);

    /// <summary>Process restarts on a card.</summary>
    public static readonly InstrumentDefinition ProcessRestarts = new("redundancy.process.restarts", InstrumentKind.Counter, "{restart}",
        "Process restarts on this card (crashes, failed restores).", [TelemetryAttributes.Process]);

    /// <summary>Processes quarantined by the restart-intensity limit.</summary>
    public static readonly InstrumentDefinition ProcessQuarantines = new("redundancy.process.quarantines", InstrumentKind.Counter, "{quarantine}",
        "Processes quarantined by the restart-intensity limit.", [TelemetryAttributes.Process]);

    /// <summary>Activation start to ready of a primary.</summary>
    public static readonly InstrumentDefinition ProcessRestoreDuration = new("redundancy.process.restore.duration", InstrumentKind.Histogram, "s",
        "Activation start to ready (restore, fencing and audit) of a primary.", [TelemetryAttributes.Process]);

    /// <summary>Primaries on a card with a replica missing.</summary>
    public static readonly InstrumentDefinition ProcessesUnprotected = new("redundancy.processes.unprotected", InstrumentKind.Gauge, "{process}",
        "Primaries on this card with a replica missing (not protected against the loss of another card).", []);

    /// <summary>Entries an audit found missing, stale or wrong.</summary>
    public static readonly InstrumentDefinition AuditDiscrepancies = new("redundancy.audit.discrepancies", InstrumentKind.Counter, "{entry}",
        "Entries an audit found missing, stale or wrong.", [TelemetryAttributes.Kind]);

    /// <summary>Card failovers and degraded slots restored.</summary>
    public static readonly InstrumentDefinition Failovers = new("redundancy.failovers", InstrumentKind.Counter, "{failover}",
        "Card failovers (slot moved to a spare, or degraded) and degraded slots restored (recorded by the chassis manager's card).",
        [TelemetryAttributes.Kind, TelemetryAttributes.Degraded]);

    /// <summary>Duration of each failover phase.</summary>
    public static readonly InstrumentDefinition FailoverPhaseDuration = new("redundancy.failover.phase.duration", InstrumentKind.Histogram, "s",
        "Duration of each failover phase (recorded by the chassis manager's card when the failover completes).", [TelemetryAttributes.Phase]);

    /// <summary>Cards by role and membership state, as a card sees the chassis.</summary>
    public static readonly InstrumentDefinition Cards = new("redundancy.cards", InstrumentKind.Gauge, "{card}",
        "Cards of the chassis by current role and membership state, as this card sees them (a dead card counts until it is back under the same id).",
        [TelemetryAttributes.CardRole, TelemetryAttributes.CardState]);

    /// <summary>How long the upgrade campaign has waited for commit.</summary>
    public static readonly InstrumentDefinition UpgradeCommitWait = new("redundancy.upgrade.commit_wait", InstrumentKind.Gauge, "s",
        "How long the upgrade campaign has been waiting for commit; 0 when none waits (served by the host of the management API).", []);

    /// <summary>Acknowledged changes an audit found missing from a restored state (I6).</summary>
    public static readonly InstrumentDefinition ProtocolViolations = new("redundancy.protocol.violations", InstrumentKind.Counter, "{change}",
        "Acknowledged changes an audit found missing from a restored state in synchronous mode (I6); never expected.", [TelemetryAttributes.Process]);

    /// <summary>Writes refused as not protected, or answered outcome unknown.</summary>
    public static readonly InstrumentDefinition WritesNotProtected = new("redundancy.writes.not_protected", InstrumentKind.Counter, "{write}",
        "Writes refused before they were sent anywhere (outcome=refused) or whose protection could not be confirmed (outcome=outcome_unknown).",
        [TelemetryAttributes.Process, TelemetryAttributes.Outcome]);

    /// <summary>Silos this card declared dead on closed-port evidence.</summary>
    public static readonly InstrumentDefinition ClosedPortDeaths = new("redundancy.membership.closed_port_deaths", InstrumentKind.Counter, "{silo}",
        "Silos this card declared dead because their port refused connections here and at a second card (their process was gone).", []);

    /// <summary>Every instrument, in the order of the documentation table.</summary>
    public static IReadOnlyList<InstrumentDefinition> All { get; } =
    [
        ReplicationDuration, ReplicationDeltas, ReplicationBytes, ReplicationLag,
        ProcessRestarts, ProcessQuarantines, ProcessRestoreDuration, ProcessesUnprotected,
        AuditDiscrepancies, Failovers, FailoverPhaseDuration, Cards, UpgradeCommitWait,
        ProtocolViolations, WritesNotProtected, ClosedPortDeaths,
    ];

    /// <summary>
    /// Histogram bucket boundaries for durations in seconds: from a millisecond (a replication round trip) to a minute
    /// (a slow failover). OpenTelemetry's default boundaries are meant for milliseconds.
    /// </summary>
    public static IReadOnlyList<double> DurationBuckets { get; } =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
}
