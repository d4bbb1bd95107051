using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Runtime.Placement;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication.Ledger;

namespace Redundancy.Orleans.Replication;

/// <summary>
/// Backup copy of one primary's hot state (M2), kept on another card (M3). Never written to storage: if its card dies,
/// it re-activates empty elsewhere — as a new copy, with a new identity, which the primary must fill and record in the
/// in-sync set before it counts (I3). An empty activation first promises the highest ballot the ledger knows, so that a
/// superseded primary can never write to it (I5). When it moves (relocation) its copy, identity and promise move with it.
/// </summary>
[ReplicaPlacement]
[KeepAlive]
[Immovable]
internal sealed class HotStateReplicaGrain<TState, TDelta>(CardDirectory cards, ILocalSiloDetails silo, global::Orleans.Serialization.Serializer serializer)
    : Grain, IHotStateReplica<TState, TDelta>, IHotStateObserver<TState, TDelta>, IGrainMigrationParticipant
    where TState : IHotState<TDelta>, new()
{
    private const string MigratedCopyKey = "redundancy.replica";
    private const string MigratedPromiseKey = "redundancy.replica.promised";
    private const string MigratedIdKey = "redundancy.replica.copy";
    private ReplicaCopy<TState, TDelta> _copy = new(Guid.NewGuid().ToString("N")[..12]);
    private bool _rehydrated;
    private readonly SnapshotAssembly _incoming = new();

    private string? CardId => cards.CardIdOf(silo.SiloAddress);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!_rehydrated && ReplicaKeys.TryParse(this.GetPrimaryKeyString(), out var process, out _))
        {
            _copy.PromiseAtLeast(await GrainFactory.GetGrain<IProcessLedger>(process).GetHighestBallot());
        }
    }

    public Task<ReplicaAck> Promise(long ballot) => Answer(_copy.Promise(ballot));

    [ReadOnly]
    public Task<HotStateSnapshot<TState>> GetSnapshot(long ballot) =>
        _copy.Snapshot(ballot, CardId) is { } snapshot
            ? Task.FromResult(snapshot)
            : throw HigherPromise(ballot);

    public async IAsyncEnumerable<byte[]> StreamSnapshot(long ballot, int chunkBytes)
    {
        if (chunkBytes < SnapshotChunks.MinChunkBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkBytes), chunkBytes, $"A snapshot chunk must be at least {SnapshotChunks.MinChunkBytes} bytes.");
        }

        // Serialized here, before the first await, in one turn of this activation: no Apply or Install interleaves with
        // it, so every chunk below is of the same copy (the enumeration's later steps interleave freely; they read bytes).
        var copy = _copy.Snapshot(ballot, CardId) ?? throw HigherPromise(ballot);
        var bytes = serializer.SerializeToArray(copy);
        for (var offset = 0; offset < bytes.Length; offset += chunkBytes)
        {
            if (ballot < _copy.Promised)
            {
                throw HigherPromise(ballot, ", while it streamed its copy");
            }

            yield return bytes[offset..Math.Min(bytes.Length, offset + chunkBytes)];

            // Each chunk its own answer: Orleans batches the items an enumerator yields without waiting, and a batch of
            // full-size chunks would be the very message this avoids.
            await Task.Yield();
        }
    }

    [ReadOnly]
    public Task<HotStateSnapshot<TState>> Inspect() => Task.FromResult(_copy.Snapshot(long.MaxValue, CardId)!);

    public Task<ReplicaAck> Apply(DeltaBatch<TDelta> batch) => Answer(_copy.Apply(batch));

    public Task<ReplicaAck> Install(HotStateSnapshot<TState> snapshot) => Answer(_copy.Install(snapshot));

    public Task<ReplicaAck> InstallPart(SnapshotPart part)
    {
        SnapshotAssembly.Validate(part);
        if (part.Ballot < _copy.Promised)
        {
            return Answer(ReplicaOutcome.StaleBallot); // a superseded sender: a newer transfer under way is left alone
        }

        if (part.Offset == 0)
        {
            _copy.PromiseAtLeast(part.Ballot); // accepting a ballot's snapshot promises it, as its deltas do
        }

        var (step, bytes) = _incoming.Accept(part);
        return step switch
        {
            SnapshotAssembly.Step.Held => Answer(ReplicaOutcome.Applied), // the copy is unchanged until the last chunk
            SnapshotAssembly.Step.Completed => Install(SnapshotChunks.Decode<TState>(serializer, bytes)),
            _ => Answer(ReplicaOutcome.NeedSnapshot), // not the continuation of the transfer held here: start again
        };
    }

    public Task<ReplicaAck> Poison(long ballot) => Answer(_copy.Poison(ballot));

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

    public void OnDehydrate(IDehydrationContext dehydrationContext)
    {
        dehydrationContext.TryAddValue(MigratedIdKey, _copy.CopyId);
        dehydrationContext.TryAddValue(MigratedPromiseKey, _copy.Promised);
        if (_copy.HasState)
        {
            dehydrationContext.TryAddValue(MigratedCopyKey, _copy.Snapshot(_copy.Promised, CardId));
        }
    }

    public void OnRehydrate(IRehydrationContext rehydrationContext)
    {
        if (!rehydrationContext.TryGetValue<string>(MigratedIdKey, out var id) || id is null)
        {
            return; // nothing carried: start as a new, empty copy (and ask the ledger for the promise)
        }

        _copy = new ReplicaCopy<TState, TDelta>(id);
        if (rehydrationContext.TryGetValue<HotStateSnapshot<TState>>(MigratedCopyKey, out var copy) && copy is not null)
        {
            _copy.Install(copy);
        }

        if (rehydrationContext.TryGetValue<long>(MigratedPromiseKey, out var promised))
        {
            _copy.PromiseAtLeast(promised);
        }

        _rehydrated = true;
    }

    /// <summary>The refusal of a copy to a ballot lower than the one promised.</summary>
    private RedundancyException HigherPromise(long ballot, string when = "") =>
        new(RedundancyErrorKind.NotServing, $"Replica '{this.GetPrimaryKeyString()}' promised ballot {_copy.Promised}, higher than {ballot}{when}.");

    private Task<ReplicaAck> Answer(ReplicaOutcome outcome)
    {
        _incoming.Tidy(_copy.Promised); // every answer drops a transfer that a higher promise or its silence abandoned
        return Task.FromResult(_copy.Ack(outcome, CardId));
    }
}
