using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Replication.Ledger;
using Redundancy.Orleans.Tests.Protocol.Simulation;

namespace Redundancy.Orleans.Tests.Protocol;

/// <summary>A replica in memory for unit tests: the production <see cref="ReplicaCopy{TState, TDelta}"/>, reachable or not.</summary>
internal sealed class MemoryReplica(int index, string card, string copyId = "c0") : IReplicaChannel<RegisterState, RegisterDelta>
{
    public ReplicaCopy<RegisterState, RegisterDelta> Copy { get; private set; } = new(copyId);

    public string Card { get; set; } = card;

    public bool Unreachable { get; set; }

    public int Installs { get; private set; }

    public int Index => index;

    /// <summary>The replica's card died: the next call reaches a new, empty copy (on <paramref name="newCard"/>).</summary>
    public void LoseCopy(string newCopyId, string newCard)
    {
        Copy = new ReplicaCopy<RegisterState, RegisterDelta>(newCopyId);
        Card = newCard;
    }

    public Task<ReplicaAck> Promise(long ballot) => Answer(() => Copy.Promise(ballot));

    public Task<HotStateSnapshot<RegisterState>> GetSnapshot(long ballot, TimeSpan stallTimeout) =>
        Unreachable ? Task.FromException<HotStateSnapshot<RegisterState>>(new TimeoutException("unreachable"))
        : Copy.Snapshot(ballot, Card) is { } s ? Task.FromResult(s with { State = s.State.Clone() })
        : Task.FromException<HotStateSnapshot<RegisterState>>(new RedundancyException(RedundancyErrorKind.NotServing, "higher ballot promised"));

    public Task<ReplicaAck> Apply(DeltaBatch<RegisterDelta> batch) => Answer(() => Copy.Apply(batch));

    public Task<ReplicaAck> Install(HotStateSnapshot<RegisterState> snapshot, string? placeOn, TimeSpan timeout) => Answer(() =>
    {
        Installs++;
        return Copy.Install(snapshot with { State = snapshot.State.Clone() });
    });

    public Task<ReplicaAck> Poison(long ballot) => Answer(() => Copy.Poison(ballot));

    public Task Relocate(string? targetCardId)
    {
        Card = targetCardId ?? Card;
        return Task.CompletedTask;
    }

    private Task<ReplicaAck> Answer(Func<ReplicaOutcome> act) =>
        Unreachable ? Task.FromException<ReplicaAck>(new TimeoutException("unreachable")) : Task.FromResult(Copy.Ack(act(), Card));
}

/// <summary>The ledger in memory: the production rules over one record.</summary>
internal sealed class MemoryLedger : ILedgerClient
{
    public LedgerRecord Record { get; } = new();

    public int Changes { get; private set; }

    public Task<LedgerTerm> Begin() => Task.FromResult(LedgerRules.Begin(Record));

    public Task<LedgerAnswer> ChangeInSync(long ballot, long expectedVersion, IReadOnlyList<InSyncMember> members, long seq)
    {
        Changes++;
        return Task.FromResult(LedgerRules.ChangeInSync(Record, ballot, expectedVersion, members, seq).Answer);
    }

    public Task<long> GetHighestBallot() => Task.FromResult(Record.HighestBallot);

    public Task<LedgerTerm> Read() => Task.FromResult(new LedgerTerm(Record.HighestBallot, Record.InSync, Record.RebuildReason));
}

/// <summary>A fixed view of the cards.</summary>
internal sealed class FixedCards(string own, params string[] others) : IReplicaCards
{
    public HashSet<string> Dead { get; } = [];

    public string? OwnCard => own;

    public bool IsAlive(string cardId) => !Dead.Contains(cardId);

    public bool MayHold(string cardId) => cardId != own && IsAlive(cardId) && others.Contains(cardId);

    public string? ChooseCard(IReadOnlyCollection<string> avoid) => others.FirstOrDefault(c => IsAlive(c) && !avoid.Contains(c) && c != own);
}
