using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Replication;

/// <summary>The protocol's settings for one process, resolved from <see cref="RedundancyOptions"/> and its table entry.</summary>
internal sealed record ReplicationSettings
{
    public int ReplicaCount { get; init; } = 1;

    /// <summary>Members the in-sync set needs (on distinct cards, not the primary's) for a change to be protected.</summary>
    public int MinInSync { get; init; } = 1;

    public ReplicationMode Mode { get; init; } = ReplicationMode.Synchronous;

    public DurabilityMode Durability { get; init; } = DurabilityMode.RefuseUnprotected;

    /// <summary>How long a commit waits for a replica's acknowledgement before it drops the replica from the in-sync set.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a write waits for re-protection when the in-sync set is below the minimum.</summary>
    public TimeSpan ReprotectWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a restore waits for each replica's answer.</summary>
    public TimeSpan RestoreTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest chunk of a streamed snapshot.</summary>
    public int SnapshotChunkBytes { get; init; } = RedundancyOptions.DefaultSnapshotChunkBytes;

    /// <summary>How long a restore keeps asking when no member of the in-sync set answered, before it gives up.</summary>
    public TimeSpan RestoreWait { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Old behaviours for the simulator (never set in production).</summary>
    public ProtocolFlaws Flaws { get; init; }

    public bool Has(ProtocolFlaws flaw) => (Flaws & flaw) != 0;
}

/// <summary>What the protocol needs to know about cards (a view taken by the caller; the simulator provides its own).</summary>
internal interface IReplicaCards
{
    /// <summary>The primary's card.</summary>
    string? OwnCard { get; }

    /// <summary>False once membership declared the card dead (its copies are gone).</summary>
    bool IsAlive(string cardId);

    /// <summary>True while the card may hold replicas of this process (serving a slot; for the control plane, any live card).</summary>
    bool MayHold(string cardId);

    /// <summary>A card for a replica to be (re-)created, avoiding the given cards; null when no card can hold one.</summary>
    string? ChooseCard(IReadOnlyCollection<string> avoid);
}

/// <summary>The answer to a commit that was acknowledged (refusals and unknown outcomes are exceptions).</summary>
internal readonly record struct CommitOutcome(long Seq, int Replicas, Protection Protection, DateTimeOffset? FlushDeadline = null);
