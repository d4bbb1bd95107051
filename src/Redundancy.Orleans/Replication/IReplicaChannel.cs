using Orleans.Serialization;
using Redundancy.Orleans.Diagnostics;

namespace Redundancy.Orleans.Replication;

/// <summary>One replica as the primary reaches it; a grain reference in production, a fake in tests.</summary>
internal interface IReplicaChannel<TState, TDelta>
    where TState : IHotState<TDelta>, new()
{
    int Index { get; }

    Task<ReplicaAck> Apply(DeltaBatch<TDelta> batch);

    Task<ReplicaAck> Install(HotStateSnapshot<TState> snapshot);

    Task<ReplicaAck> Fence(long epoch, long seq);

    Task<ReplicaAck> Poison(long epoch);

    Task<HotStateSnapshot<TState>> GetSnapshot();

    Task Relocate(string? targetCardId);
}

/// <summary>
/// The production channel: calls the replica grain. When someone listens to the bytes counter it measures
/// what it sends with the same serializer the call uses (a second serialization, so only then).
/// </summary>
internal sealed class GrainReplicaChannel<TState, TDelta>(IHotStateReplica<TState, TDelta> replica, int index, Serializer serializer) : IReplicaChannel<TState, TDelta>
    where TState : IHotState<TDelta>, new()
{
    public int Index => index;

    public Task<ReplicaAck> Apply(DeltaBatch<TDelta> batch)
    {
        Measure(batch, "deltas");
        return replica.Apply(batch);
    }

    public Task<ReplicaAck> Install(HotStateSnapshot<TState> snapshot)
    {
        Measure(snapshot, "snapshot");
        return replica.Install(snapshot);
    }

    private void Measure<T>(T value, string kind)
    {
        if (RedundancyMetrics.BytesEnabled)
        {
            RedundancyMetrics.BytesSent(serializer.SerializeToArray(value).Length, kind);
        }
    }

    public Task<ReplicaAck> Fence(long epoch, long seq) => replica.Fence(epoch, seq);

    public Task<ReplicaAck> Poison(long epoch) => replica.Poison(epoch);

    public Task<HotStateSnapshot<TState>> GetSnapshot() => replica.GetSnapshot();

    public Task Relocate(string? targetCardId) => replica.Relocate(targetCardId);
}
