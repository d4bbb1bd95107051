namespace Redundancy.Orleans.Replication;

/// <summary>
/// What observes a primary's hot state changes (M2): the primary's replicas today, and any other copy that must follow the
/// primary (a hot standby). A grain implements it and the primary reaches it with
/// <c>grain.AsReference&lt;IHotStateObserver&lt;TState, TDelta&gt;&gt;()</c>. Unlike Orleans's <c>ObserverManager</c>, which
/// drops an observer that throws, every call is acknowledged (<see cref="ReplicaAck"/>) and the primary's in-sync set
/// decides whose acknowledgement counts for a commit (I1–I3): an observer that fails or lags is re-synchronised with a
/// snapshot, not forgotten.
/// </summary>
public interface IHotStateObserver<TState, TDelta> : IGrainObserver
    where TState : IHotState<TDelta>, new()
{
    /// <summary>Applies consecutive deltas; idempotent within one ballot; asks for a snapshot when it lacks their history.</summary>
    Task<ReplicaAck> Apply(DeltaBatch<TDelta> batch);

    /// <summary>Replaces the copy with a full snapshot (new or lagging copy); never an older one of the same ballot.</summary>
    Task<ReplicaAck> Install(HotStateSnapshot<TState> snapshot);

    /// <summary>
    /// One chunk of a snapshot too large for one message, in order. A chunk of a lower ballot than promised is answered
    /// <see cref="ReplicaOutcome.StaleBallot"/>; one that does not continue the transfer under way (an earlier chunk was
    /// lost, or a newer transfer replaced it) <see cref="ReplicaOutcome.NeedSnapshot"/>, and the sender starts again. The
    /// last chunk is answered as <see cref="Install"/> is; the copy is unchanged until it arrives.
    /// </summary>
    Task<ReplicaAck> InstallPart(SnapshotPart part);
}
