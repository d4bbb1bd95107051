using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Runtime.Placement;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Placement;

namespace Redundancy.Orleans.Replication;

/// <summary>
/// Backup copy of one primary's hot state (M2), kept on another card (M3). Never written to storage:
/// if its card dies, it re-activates empty elsewhere and the primary refills it with a snapshot. When it
/// moves (relocation off a spare, off the primary's card), its copy moves with it: between the move and the
/// primary's next refill it is the only copy there is.
/// </summary>
[ReplicaPlacement]
[KeepAlive]
[Immovable]
internal sealed class HotStateReplicaGrain<TState, TDelta>(CardDirectory cards, ILocalSiloDetails silo)
    : Grain, IHotStateReplica<TState, TDelta>, IGrainMigrationParticipant
    where TState : IHotState<TDelta>, new()
{
    private const string MigratedCopyKey = "redundancy.replica";
    private const string MigratedEpochKey = "redundancy.replica.epoch";
    private readonly ReplicaLog<TState, TDelta> _log = new();
    private string? CardId => cards.CardIdOf(silo.SiloAddress);

    public Task<ReplicaAck> Apply(DeltaBatch<TDelta> batch) => Task.FromResult(Ack(_log.Apply(batch)));

    public Task<ReplicaAck> Install(HotStateSnapshot<TState> snapshot) => Task.FromResult(Ack(_log.Install(snapshot)));

    public Task<ReplicaAck> Fence(long epoch, long seq) => Task.FromResult(Ack(_log.Fence(epoch, seq)));

    public Task<ReplicaAck> Poison(long epoch) => Task.FromResult(Ack(_log.Poison(epoch)));

    public Task Relocate(string? targetCardId)
    {
        // Migration, not plain deactivation: callers cache this activation's address, and a message sent to
        // that silo would simply re-create the replica there. Migration moves the directory entry too.
        var target = cards.GetCards().FirstOrDefault(c => c.Card.Alive && c.Card.CardId == targetCardId).Silo;
        if (target is not null && target.Equals(silo.SiloAddress))
        {
            return Task.CompletedTask; // already there; a "migration" to this silo would only drop the copy
        }

        if (target is not null)
        {
            RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
        }

        this.MigrateOnIdle();
        return Task.CompletedTask;
    }

    [ReadOnly]
    public Task<HotStateSnapshot<TState>> GetSnapshot() => Task.FromResult(_log.Snapshot(CardId));

    public void OnDehydrate(IDehydrationContext dehydrationContext)
    {
        if (_log.HasState)
        {
            dehydrationContext.TryAddValue(MigratedCopyKey, _log.Snapshot(CardId));
        }
        else if (_log.Epoch > 0)
        {
            dehydrationContext.TryAddValue(MigratedEpochKey, _log.Epoch);
        }
    }

    public void OnRehydrate(IRehydrationContext rehydrationContext)
    {
        if (rehydrationContext.TryGetValue<HotStateSnapshot<TState>>(MigratedCopyKey, out var copy) && copy is not null)
        {
            _log.Install(copy);
        }
        else if (rehydrationContext.TryGetValue<long>(MigratedEpochKey, out var epoch))
        {
            _log.Fence(epoch, 0);
        }
    }

    private ReplicaAck Ack(ReplicaOutcome outcome) => new(outcome, _log.Epoch, _log.Seq, CardId);
}
