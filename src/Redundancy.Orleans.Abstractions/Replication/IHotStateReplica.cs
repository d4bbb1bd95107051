namespace Redundancy.Orleans.Replication;

/// <summary>
/// A backup copy of one primary's hot state on another card (M2, M3). Keyed
/// <c>{process}/r{index}</c>; placed by the replica placement strategy.
/// </summary>
public interface IHotStateReplica<TState, TDelta> : IGrainWithStringKey
    where TState : IHotState<TDelta>, new()
{
    /// <summary>Applies consecutive deltas; idempotent; rejects an older epoch; asks for a snapshot on a gap.</summary>
    Task<ReplicaAck> Apply(DeltaBatch<TDelta> batch);

    /// <summary>Replaces the copy with a full snapshot (new or lagging replica).</summary>
    Task<ReplicaAck> Install(HotStateSnapshot<TState> snapshot);

    /// <summary>
    /// A restarted primary announces its new epoch and the seq it restored. The replica answers
    /// <see cref="ReplicaOutcome.NeedSnapshot"/> when its copy differs from that seq.
    /// </summary>
    Task<ReplicaAck> Fence(long epoch, long seq);

    /// <summary>Marks the copy so that restoring it crashes the process (fault injection: poison state).</summary>
    Task<ReplicaAck> Poison(long epoch);

    /// <summary>
    /// Asks the replica to move to <paramref name="targetCardId"/> (Orleans migration with a placement hint;
    /// the copy arrives empty and is refilled by snapshot). Used when a replica finds itself on its primary's
    /// card (degraded chassis) or on the card of another replica of the same process.
    /// </summary>
    Task Relocate(string? targetCardId);

    /// <summary>The copy, for a restore; seq 0 and empty state when the replica holds nothing.</summary>
    Task<HotStateSnapshot<TState>> GetSnapshot();
}
