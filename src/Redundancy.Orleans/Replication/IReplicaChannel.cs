using Orleans.Serialization;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Placement;

namespace Redundancy.Orleans.Replication;

/// <summary>One replica as the primary reaches it: a grain reference in production, a simulated replica in the protocol simulator.</summary>
internal interface IReplicaChannel<TState, TDelta>
    where TState : IHotState<TDelta>, new()
{
    int Index { get; }

    Task<ReplicaAck> Promise(long ballot);

    Task<HotStateSnapshot<TState>> GetSnapshot(long ballot);

    Task<ReplicaAck> Apply(DeltaBatch<TDelta> batch);

    /// <summary>Installs a snapshot; <paramref name="placeOn"/> names the card for a replica this call re-creates.</summary>
    Task<ReplicaAck> Install(HotStateSnapshot<TState> snapshot, string? placeOn);

    Task<ReplicaAck> Poison(long ballot);

    Task Relocate(string? targetCardId);
}

/// <summary>
/// The production channel: calls the replica grain, its changes through the observer interface the grain implements
/// (<see cref="IHotStateObserver{TState, TDelta}"/>), its promises and copies through the replica interface. When someone listens to the bytes counter it measures what it
/// sends with the same serializer the call uses (a second serialization, so only then).
/// </summary>
internal sealed class GrainReplicaChannel<TState, TDelta>(IHotStateReplica<TState, TDelta> replica, int index, Serializer serializer, RedundancyMetrics metrics) : IReplicaChannel<TState, TDelta>
    where TState : IHotState<TDelta>, new()
{
    private readonly IHotStateObserver<TState, TDelta> _observer = replica.AsReference<IHotStateObserver<TState, TDelta>>();

    public int Index => index;

    public Task<ReplicaAck> Promise(long ballot) => replica.Promise(ballot);

    public Task<HotStateSnapshot<TState>> GetSnapshot(long ballot) => replica.GetSnapshot(ballot);

    public Task<ReplicaAck> Apply(DeltaBatch<TDelta> batch)
    {
        Measure(batch, "deltas");
        return _observer.Apply(batch);
    }

    public async Task<ReplicaAck> Install(HotStateSnapshot<TState> snapshot, string? placeOn)
    {
        Measure(snapshot, "snapshot");
        if (placeOn is null)
        {
            return await _observer.Install(snapshot);
        }

        // If this call re-creates the replica, placement puts it on the card the primary chose.
        RequestContext.Set(ReplicaKeys.TargetCardContextKey, placeOn);
        try
        {
            return await _observer.Install(snapshot);
        }
        finally
        {
            RequestContext.Remove(ReplicaKeys.TargetCardContextKey);
        }
    }

    public Task<ReplicaAck> Poison(long ballot) => replica.Poison(ballot);

    public Task Relocate(string? targetCardId) => replica.Relocate(targetCardId);

    private void Measure<T>(T value, string kind)
    {
        if (metrics.BytesEnabled)
        {
            metrics.BytesSent(serializer.SerializeToArray(value).Length, kind);
        }
    }
}
