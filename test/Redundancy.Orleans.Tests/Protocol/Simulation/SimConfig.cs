using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Tests.Protocol.Simulation;

/// <summary>One configuration of the simulated chassis and its faults. Times are virtual.</summary>
internal sealed record SimConfig
{
    public string Name { get; init; } = "sync k=1";

    public int Cards { get; init; } = 5;

    public int ReplicaCount { get; init; } = 1;

    public int? MinInSync { get; init; }

    public ReplicationMode Mode { get; init; } = ReplicationMode.Synchronous;

    public DurabilityMode Durability { get; init; } = DurabilityMode.RefuseUnprotected;

    public ProtocolFlaws Flaws { get; init; }

    public int Keys { get; init; } = 3;

    public int WritesPerKey { get; init; } = 8;

    /// <summary>Faults happen in the first part of the run; then they stop and the process must recover (I7).</summary>
    public TimeSpan FaultPhase { get; init; } = TimeSpan.FromSeconds(2.5);

    public TimeSpan QuietPhase { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>Faults drawn per run: 0..this many.</summary>
    public int MaxFaults { get; init; } = 6;

    /// <summary>Card failures allowed per run (crashes and hangs long enough to be declared dead).</summary>
    public int MaxCardFaults { get; init; } = 2;

    public bool ReplaceCards { get; init; } = true;

    public double LatencyMinMs { get; init; } = 0.2;

    public double LatencyMaxMs { get; init; } = 2;

    public double DetectMinMs { get; init; } = 300;

    public double DetectMaxMs { get; init; } = 1000;

    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RestoreRetry { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The fault kinds this configuration draws from (a flaw test narrows them to the schedules that expose it).</summary>
    public IReadOnlyList<SimFault> FaultKinds { get; init; } = Enum.GetValues<SimFault>();

    public ReplicationSettings Settings() => new()
    {
        ReplicaCount = ReplicaCount,
        MinInSync = MinInSync ?? ReplicaCount,
        Mode = Mode,
        Durability = Durability,
        AckTimeout = TimeSpan.FromMilliseconds(400),
        ReprotectWait = TimeSpan.FromMilliseconds(300),
        RestoreTimeout = TimeSpan.FromMilliseconds(400),
        RestoreWait = TimeSpan.FromSeconds(2),
        FlushInterval = Tick,
        Flaws = Flaws,
    };
}

/// <summary>What the fault injector can do.</summary>
internal enum SimFault
{
    KillCard,
    HangCard,
    Partition,
    SlowCard,
    MessageLoss,
    CrashProcess,
    DuplicatePrimary,
    DuplicateReplica,
    PlannedMove,
}
