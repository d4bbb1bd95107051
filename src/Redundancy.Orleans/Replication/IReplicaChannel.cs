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

/// <summary>The production channel: calls the replica grain.</summary>
internal sealed class GrainReplicaChannel<TState, TDelta>(IHotStateReplica<TState, TDelta> replica, int index) : IReplicaChannel<TState, TDelta>
    where TState : IHotState<TDelta>, new()
{
    public int Index => index;

    public Task<ReplicaAck> Apply(DeltaBatch<TDelta> batch) => replica.Apply(batch);

    public Task<ReplicaAck> Install(HotStateSnapshot<TState> snapshot) => replica.Install(snapshot);

    public Task<ReplicaAck> Fence(long epoch, long seq) => replica.Fence(epoch, seq);

    public Task<ReplicaAck> Poison(long epoch) => replica.Poison(epoch);

    public Task<HotStateSnapshot<TState>> GetSnapshot() => replica.GetSnapshot();

    public Task Relocate(string? targetCardId) => replica.Relocate(targetCardId);
}
