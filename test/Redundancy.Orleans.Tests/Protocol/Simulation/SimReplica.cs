using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Tests.Protocol.Simulation;

/// <summary>
/// One activation of a replica grain: the production <see cref="ReplicaCopy{TState, TDelta}"/> on a simulated card. A new
/// activation first reads the highest ballot from the ledger and promises it (as <c>HotStateReplicaGrain</c> does).
/// </summary>
internal sealed class SimReplica
{
    private readonly SimWorld _world;
    private readonly Task _activated;

    public SimReplica(SimWorld world, SimNode card, int index, string copyId, ReplicaCopy<RegisterState, RegisterDelta>? moved = null)
    {
        _world = world;
        Index = index;
        Node = new SimNode(world.S, $"{card.Id}/r{index}:{copyId}", card);
        Copy = new ReplicaCopy<RegisterState, RegisterDelta>(copyId, world.Config.Flaws);
        if (moved is not null)
        {
            // A migration carries the copy, its identity and its promise (HotStateReplicaGrain's rehydration).
            if (moved.HasState && moved.Snapshot(moved.Promised, card.Id) is { } carried)
            {
                Copy.Install(carried with { State = carried.State.Clone() });
            }

            Copy.PromiseAtLeast(moved.Promised);
            _activated = Task.CompletedTask;
            return;
        }

        var ready = new TaskCompletionSource();
        _activated = ready.Task;
        Node.Run(async () =>
        {
            try
            {
                Copy.PromiseAtLeast(await world.Ledger.ClientFor(Node).GetHighestBallot().WaitAsync(TimeSpan.FromSeconds(1), world.S.Clock));
                ready.TrySetResult();
            }
            catch (Exception e)
            {
                ready.TrySetException(new RedundancyException(RedundancyErrorKind.Unavailable, "replica activation failed: " + e.Message));
                Node.Crash(); // the activation failed; the next message creates another
            }
        });
    }

    public int Index { get; }

    public SimNode Node { get; }

    public ReplicaCopy<RegisterState, RegisterDelta> Copy { get; }

    private string CardId => Node.Card.Id;

    public async Task<ReplicaAck> Handle(Func<ReplicaCopy<RegisterState, RegisterDelta>, ReplicaOutcome> call)
    {
        await _activated;
        var outcome = call(Copy);
        if (SimBudget.Trace)
        {
            _world.History.Note($"{Node.Id}: {outcome}, promised {Copy.Promised}, data ballot {Copy.DataBallot} seq {Copy.Seq}");
        }

        return Copy.Ack(outcome, CardId);
    }

    public async Task<HotStateSnapshot<RegisterState>> Snapshot(long ballot)
    {
        await _activated;
        var snapshot = Copy.Snapshot(ballot, CardId) ?? throw new RedundancyException(RedundancyErrorKind.NotServing, $"promised {Copy.Promised} > {ballot}");
        return snapshot with { State = snapshot.State.Clone() };
    }
}

/// <summary>The primary's channel to replica <c>Index</c> through the simulated network and replica directory.</summary>
internal sealed class SimReplicaChannel(SimWorld world, SimNode from, int index) : IReplicaChannel<RegisterState, RegisterDelta>
{
    public int Index => index;

    public Task<ReplicaAck> Promise(long ballot) => Call(null, r => r.Handle(c => c.Promise(ballot)));

    public Task<HotStateSnapshot<RegisterState>> GetSnapshot(long ballot, TimeSpan stallTimeout) => Call(null, r => r.Snapshot(ballot)).WaitAsync(stallTimeout, world.S.Clock);

    public Task<ReplicaAck> Apply(DeltaBatch<RegisterDelta> batch) => Call(null, r => r.Handle(c => c.Apply(batch)));

    public Task<ReplicaAck> Install(HotStateSnapshot<RegisterState> snapshot, string? placeOn, TimeSpan timeout)
    {
        var copy = snapshot with { State = snapshot.State.Clone() }; // serialised at the send
        return Call(placeOn, r => r.Handle(c => c.Install(copy))).WaitAsync(timeout, world.S.Clock);
    }

    public Task<ReplicaAck> Poison(long ballot) => Call(null, r => r.Handle(c => c.Poison(ballot)));

    public Task Relocate(string? targetCardId) => Call(null, r =>
    {
        world.MoveReplica(r, targetCardId); // the activation the message reached migrates (MigrateOnIdle)
        return Task.FromResult(true);
    });

    private Task<T> Call<T>(string? placeOn, Func<SimReplica, Task<T>> handler)
    {
        var replica = world.ResolveReplica(index, placeOn, avoid: from.Card.Id);
        return replica is null
            ? Task.FromException<T>(new RedundancyException(RedundancyErrorKind.Unavailable, $"no card can hold replica {index}"))
            : world.Send(from, replica.Node, () => handler(replica));
    }
}
