namespace Redundancy.Orleans.Replication;

/// <summary>
/// A backup copy of one primary's hot state on another card (M2, M3). Keyed <c>{process}/r{index}</c>; placed by the
/// replica placement strategy. It accepts changes only from the highest ballot it has promised (I5). The changes reach it
/// as an observer of the primary (<see cref="IHotStateObserver{TState, TDelta}"/>, through
/// <c>replica.AsReference&lt;IHotStateObserver&lt;TState, TDelta&gt;&gt;()</c>); this interface is the restore and
/// management side: promises, copies, fault injection, relocation.
/// </summary>
public interface IHotStateReplica<TState, TDelta> : IGrainWithStringKey
    where TState : IHotState<TDelta>, new()
{
    /// <summary>
    /// A restoring primary's first call: promise <paramref name="ballot"/> (refuse every lower ballot from now on)
    /// and say which copy is held (data ballot, seq, copy id), without the state itself.
    /// </summary>
    Task<ReplicaAck> Promise(long ballot);

    /// <summary>The copy, for a restore by the primary of <paramref name="ballot"/>, in one message (see <see cref="StreamSnapshot"/>).</summary>
    /// <exception cref="Processes.RedundancyException">A higher ballot has been promised.</exception>
    Task<HotStateSnapshot<TState>> GetSnapshot(long ballot);

    /// <summary>
    /// The copy, for a restore by the primary of <paramref name="ballot"/>, as its serialized
    /// <see cref="HotStateSnapshot{TState}"/> in chunks of at most <paramref name="chunkBytes"/> bytes: no single
    /// message carries a full table. The copy is serialized once, in one turn, when the first chunk is asked for, so the
    /// chunks form one consistent copy whatever the replica applies meanwhile; a higher ballot promised meanwhile ends
    /// the stream with a refusal.
    /// </summary>
    /// <exception cref="Processes.RedundancyException">A higher ballot has been promised.</exception>
    IAsyncEnumerable<byte[]> StreamSnapshot(long ballot, int chunkBytes);

    /// <summary>
    /// The copy as it is, for upgrade verification (a shadow restore): promises nothing, so the serving primary is not
    /// disturbed.
    /// </summary>
    Task<HotStateSnapshot<TState>> Inspect();

    /// <summary>Marks the copy so that restoring it crashes the process (fault injection: poison state).</summary>
    Task<ReplicaAck> Poison(long ballot);

    /// <summary>
    /// Asks the replica to move to <paramref name="targetCardId"/> (Orleans migration with a placement hint; the copy
    /// moves with it). Used when a replica finds itself on its primary's card or on another replica's card.
    /// </summary>
    Task Relocate(string? targetCardId);
}
