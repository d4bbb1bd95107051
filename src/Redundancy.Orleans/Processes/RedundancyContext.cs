using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Redundancy.Orleans.CardManagement;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Processes;

/// <summary>
/// What a redundant process (its <see cref="IReplicatedState{TState, TDelta}"/> facet and its grain) needs from its card, in one injectable
/// service so that application grains take one constructor argument for the runtime.
/// </summary>
public sealed class RedundancyContext
{
    internal RedundancyContext(
        IOptions<RedundancyOptions> options,
        ProcessTable table,
        CardDirectory cards,
        ILocalSiloDetails silo,
        TimeProvider time,
        ILoggerFactory loggers,
        CardManager cardManager,
        RestartTracker restarts,
        SlotMapCache slotMap,
        global::Orleans.Serialization.Serializer serializer,
        Faults.CardFaults faults,
        History.AuditJournal audits,
        Diagnostics.RedundancyMetrics metrics)
    {
        Metrics = metrics;
        Audits = audits;
        Serializer = serializer;
        Faults = faults;
        Options = options.Value;
        Table = table;
        Cards = cards;
        Silo = silo;
        Time = time;
        Loggers = loggers;
        CardManager = cardManager;
        Restarts = restarts;
        SlotMap = slotMap;
    }

    /// <summary>This silo's instruments.</summary>
    internal Diagnostics.RedundancyMetrics Metrics { get; }

    /// <summary>Runtime options.</summary>
    public RedundancyOptions Options { get; }

    /// <summary>The process table.</summary>
    public ProcessTable Table { get; }

    /// <summary>Cards and the slot map.</summary>
    public CardDirectory Cards { get; }

    /// <summary>This silo.</summary>
    public ILocalSiloDetails Silo { get; }

    /// <summary>Clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Logger factory.</summary>
    public ILoggerFactory Loggers { get; }

    /// <summary>This card's id.</summary>
    public string? CardId => Cards.CardIdOf(Silo.SiloAddress);

    internal CardManager CardManager { get; }

    internal RestartTracker Restarts { get; }

    internal SlotMapCache SlotMap { get; }

    /// <summary>This card's restore audits on their way to the audit history.</summary>
    internal History.AuditJournal Audits { get; }

    internal global::Orleans.Serialization.Serializer Serializer { get; }

    /// <summary>This card's injected faults (crash points inside a commit); inert unless fault injection is enabled.</summary>
    internal Faults.CardFaults Faults { get; }

    /// <summary>
    /// A named crash point of an application (for example after programming hardware): when an operator or a test armed it
    /// for <paramref name="process"/>, the card is killed here. Inert unless the silo enabled fault injection.
    /// </summary>
    /// <param name="process">The process passing the point.</param>
    /// <param name="point">The point's name (see <c>CrashPoints</c>).</param>
    public void CrashPoint(string process, string point) => Faults.Hit(process, point);

    /// <summary>
    /// The protocol settings of a process: its table entry over the chassis defaults. The control plane (I7) has its own:
    /// wider replication, synchronous, one member enough, accepts what it cannot protect (its state is reconstructible).
    /// A process without replicas (a measurement baseline) is never protected and never refuses.
    /// </summary>
    internal Replication.ReplicationSettings SettingsFor(ProcessDefinition definition, bool controlPlane)
    {
        var k = controlPlane ? Options.ControlPlaneReplicas : definition.ReplicaCount ?? Options.ReplicaCount;
        var min = controlPlane || k == 0 ? 1 : Math.Clamp(definition.MinInSyncReplicas ?? Options.MinInSyncReplicas ?? k, 1, k);
        return new Replication.ReplicationSettings
        {
            ReplicaCount = k,
            MinInSync = min,
            Mode = controlPlane ? ReplicationMode.Synchronous : definition.Mode ?? Options.Mode,
            Durability = controlPlane || k == 0 ? DurabilityMode.AcceptUnprotected : definition.Durability ?? Options.Durability,
            AckTimeout = Options.ReplicaAckTimeout,
            ReprotectWait = Options.ReprotectWait,
            RestoreTimeout = Options.RestoreTimeout,
            SnapshotChunkBytes = Options.SnapshotChunkBytes,
            RestoreWait = controlPlane ? TimeSpan.FromTicks(Math.Min(Options.RestoreWait.Ticks, TimeSpan.FromSeconds(5).Ticks)) : Options.RestoreWait,
            FlushInterval = Options.FlushInterval,
        };
    }
}
