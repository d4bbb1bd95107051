namespace Redundancy.Orleans.Configuration;

/// <summary>How changes reach the replicas (M2).</summary>
public enum ReplicationMode
{
    /// <summary>An update completes only after every live replica applied it (default): nothing acknowledged is lost by one failure.</summary>
    Synchronous = 0,

    /// <summary>Deltas are buffered and flushed every <see cref="RedundancyOptions.FlushInterval"/>; the audit closes the gap after a restore.</summary>
    Periodic = 1,
}

/// <summary>What a process does with a write it cannot protect: its in-sync set is below <see cref="RedundancyOptions.MinInSyncReplicas"/>.</summary>
public enum DurabilityMode
{
    /// <summary>Refuse it before sending it anywhere: nothing changes anywhere (default). The answer is "not protected".</summary>
    RefuseUnprotected = 0,

    /// <summary>Accept it on the primary alone and answer "unprotected"; the replicas catch up when they can.</summary>
    AcceptUnprotected = 1,
}

/// <summary>Options of the redundancy runtime. Same values on every card of a chassis.</summary>
public sealed class RedundancyOptions
{
    /// <summary>Configuration section the host binds: <c>Redundancy</c>.</summary>
    public const string SectionName = "Redundancy";

    /// <summary>Replicas per process (k), each on a distinct card other than the primary's. Default 1; 1..8.</summary>
    public int ReplicaCount { get; set; } = 1;

    /// <summary>Replication mode. Default <see cref="ReplicationMode.Synchronous"/>.</summary>
    public ReplicationMode Mode { get; set; } = ReplicationMode.Synchronous;

    /// <summary>Periodic mode: how often buffered deltas are flushed. Default 100 ms; 1 ms..1 h.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Members the in-sync set needs (on distinct cards other than the primary's) for a write to be acknowledged as
    /// protected. Default null: <see cref="ReplicaCount"/> (a protected write survives the loss of k cards). 1..k.
    /// </summary>
    public int? MinInSyncReplicas { get; set; }

    /// <summary>What a process does with a write it cannot protect. Default <see cref="DurabilityMode.RefuseUnprotected"/>.</summary>
    public DurabilityMode Durability { get; set; } = DurabilityMode.RefuseUnprotected;

    /// <summary>How long a write waits for a replica's acknowledgement before the replica leaves the in-sync set. Default 5 s.</summary>
    public TimeSpan ReplicaAckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a write waits for re-protection (a replica re-created and filled) when the in-sync set is below its
    /// minimum, before it is refused as not protected. Default 2 s.
    /// </summary>
    public TimeSpan ReprotectWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a restore keeps asking the in-sync set's members when none answered, before the process reports itself
    /// unavailable (it keeps retrying every <see cref="RestoreRetryInterval"/>). Default 15 s.
    /// </summary>
    public TimeSpan RestoreWait { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an unavailable process tries its restore again. Default 2 s.</summary>
    public TimeSpan RestoreRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Replicas of the control plane (the chassis manager), on any live card, spares included: more than a process has,
    /// because the chassis cannot fail anything over without it (I7). Default 2; 1..8.
    /// </summary>
    public int ControlPlaneReplicas { get; set; } = 2;

    /// <summary>How often an out-of-sync replica is retried with a snapshot. Default 1 s.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a restore waits for each replica (for a streamed copy: for each chunk of it). Default 5 s.</summary>
    public TimeSpan RestoreTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The default <see cref="SnapshotChunkBytes"/>: 1 MiB.</summary>
    public const int DefaultSnapshotChunkBytes = 1024 * 1024;

    /// <summary>
    /// The largest chunk of a copy a replica streams to a restoring primary: a full table crosses as many small messages,
    /// not one of tens of megabytes. Default 1 MiB; 1 KiB..64 MiB.
    /// </summary>
    public int SnapshotChunkBytes { get; set; } = DefaultSnapshotChunkBytes;

    /// <summary>How long an audit after the process is ready waits for each associated process. Default 5 s.</summary>
    public TimeSpan AuditTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the audit during a restore waits for each associated process before it defers that one
    /// until the process is ready. Short, because two peers restoring at once (a card failure) cannot answer
    /// each other until both are active. Default 250 ms.
    /// </summary>
    public TimeSpan RestoreAuditTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Restart intensity: more than this many restarts within <see cref="RestartWindow"/> quarantines the process. Default 5.</summary>
    public int MaxRestarts { get; set; } = 5;

    /// <summary>Restart intensity window. Default 60 s.</summary>
    public TimeSpan RestartWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a quarantine lasts before the process is tried again (doubling with each quarantine in a row, up to
    /// 24 h); an operator's release lifts it at once. Default 10 min; at least 1 s.
    /// </summary>
    public TimeSpan QuarantineDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The wait before a failed restart is retried, doubling with each recent restart up to 5 s. Default 100 ms.</summary>
    public TimeSpan RestartBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the card manager checks that its card's processes are active. Default 2 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Processes the card manager activates at once (each restores from its replica and audits). A spare that takes
    /// over a card with 50 processes would otherwise start 50 restores together and starve every card on shared cores,
    /// its answers to membership probes included. Default 4.
    /// </summary>
    public int MaxConcurrentRestores { get; set; } = 4;

    /// <summary>How long placement waits for a card's silo metadata or for the card serving a slot. Default 10 s.</summary>
    public TimeSpan PlacementWaitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Chassis events kept in the durable event history (control-plane storage). Default 100,000; 1,000..10,000,000.</summary>
    public int EventRetention { get; set; } = 100_000;

    /// <summary>Audits kept per process in the durable audit history. Default 1,000; 10..100,000.</summary>
    public int AuditRetention { get; set; } = 1_000;

    /// <summary>The process table: which process runs in which slot (M1).</summary>
    public List<ProcessDefinition> Processes { get; set; } = [];
}

/// <summary>One routing (or other) process assigned to a slot.</summary>
public sealed class ProcessDefinition
{
    /// <summary>Unique process name; the grain key. Letters, digits, '-', '_' and '.'; 1..64 characters.</summary>
    public string Name { get; set; } = "";

    /// <summary>The slot (1..N) whose card runs the primary.</summary>
    public int Slot { get; set; }

    /// <summary>The process kind, registered by an application (for example <c>routing</c>).</summary>
    public string Kind { get; set; } = "routing";

    /// <summary>Associated peer processes (advertisement and audit targets).</summary>
    public List<string> Peers { get; set; } = [];

    /// <summary>Replication mode of this process; null: <see cref="RedundancyOptions.Mode"/>.</summary>
    public ReplicationMode? Mode { get; set; }

    /// <summary>Members its in-sync set needs for protection; null: <see cref="RedundancyOptions.MinInSyncReplicas"/>.</summary>
    public int? MinInSyncReplicas { get; set; }

    /// <summary>What it does with a write it cannot protect; null: <see cref="RedundancyOptions.Durability"/>.</summary>
    public DurabilityMode? Durability { get; set; }

    /// <summary>
    /// Replicas of this process; null: <see cref="RedundancyOptions.ReplicaCount"/>. 0 runs the process without
    /// protection (a crash loses its state) — a baseline for measurements, not for service.
    /// </summary>
    public int? ReplicaCount { get; set; }

    /// <summary>
    /// Where it comes in a card's restores (a spare taking a slot over, a card starting), 0..1000, lower first; null: its
    /// kind's <c>[RestorePriority]</c>, or <see cref="DefaultRestorePriority"/>. Restores still run
    /// <see cref="RedundancyOptions.MaxConcurrentRestores"/> at a time; equal priorities restore in name order.
    /// </summary>
    public int? RestorePriority { get; set; }

    /// <summary>The restore priority of a process whose kind declares none.</summary>
    public const int DefaultRestorePriority = 100;
}
