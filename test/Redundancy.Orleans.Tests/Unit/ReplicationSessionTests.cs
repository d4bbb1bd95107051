using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

public sealed class ReplicationSessionTests
{
    private readonly RoutingState _primary = new();

    private static RoutingDelta Add(string prefix) => new() { Announce = [TestRoutes.V4(prefix)] };

    private readonly ManualTimeProvider _time = new();

    private int _otherCards = 2;

    private ReplicationSession<RoutingState, RoutingDelta> Session(ReplicationMode mode, long epoch, long seq, params FakeReplica[] replicas) =>
        new(replicas, mode, () => _primary, epoch, seq, "card-1", _time, () => _otherCards);

    private async Task CommitAsync(ReplicationSession<RoutingState, RoutingDelta> session, RoutingDelta delta, long? atLeast = null)
    {
        _primary.Apply(delta);
        await session.CommitAsync(delta, atLeast);
    }

    [Fact]
    public async Task Commit_Synchronous_EveryReplicaHoldsTheChangeWhenItCompletes()
    {
        var replicas = new[] { new FakeReplica(0), new FakeReplica(1) };
        var session = Session(ReplicationMode.Synchronous, 1, 0, replicas);
        await session.FenceAllAsync();
        await CommitAsync(session, Add("10.0.0.0/24"));
        await CommitAsync(session, Add("10.0.1.0/24"));
        Assert.All(replicas, r => Assert.Equal((2L, 2), (r.Log.Seq, r.Log.State.Size)));
        Assert.All(session.Describe(), r => Assert.True(r.InSync));
    }

    [Fact]
    public async Task Commit_LaggingReplica_IsRefilledBySnapshot()
    {
        var lagging = new FakeReplica(0);
        var session = Session(ReplicationMode.Synchronous, 2, 5, lagging);
        for (var i = 0; i < 5; i++)
        {
            _primary.Apply(Add($"10.0.{i}.0/24"));
        }

        await CommitAsync(session, Add("10.1.0.0/24"));
        Assert.Equal(1, lagging.Installs);
        Assert.Equal((6L, 6), (lagging.Log.Seq, lagging.Log.State.Size));
    }

    [Fact]
    public async Task Commit_ReplicaSawNewerEpoch_FencesThePrimary()
    {
        var replica = new FakeReplica(0);
        replica.Log.Fence(7, 0);
        var session = Session(ReplicationMode.Synchronous, 3, 0, replica);
        await CommitAsync(session, Add("10.0.0.0/24"));
        Assert.NotNull(session.FencedBy);
        Assert.Contains("epoch 7", session.FencedBy);
        Assert.Equal(0, replica.Log.Seq);
    }

    [Fact]
    public async Task Commit_UnreachableReplica_DoesNotBlockAndIsResyncedLater()
    {
        var replica = new FakeReplica(0) { Unreachable = true };
        var session = Session(ReplicationMode.Synchronous, 1, 0, replica);
        await CommitAsync(session, Add("10.0.0.0/24"));
        var info = Assert.Single(session.Describe());
        Assert.False(info.InSync);
        Assert.Contains("unreachable", info.LastError);

        replica.Unreachable = false;
        await session.FlushAsync();
        Assert.Equal((1L, 1), (replica.Log.Seq, replica.Log.State.Size));
        Assert.True(Assert.Single(session.Describe()).InSync);
    }

    [Fact]
    public async Task Commit_Periodic_BuffersUntilFlush()
    {
        var replica = new FakeReplica(0);
        var session = Session(ReplicationMode.Periodic, 1, 0, replica);
        await CommitAsync(session, Add("10.0.0.0/24"));
        await CommitAsync(session, Add("10.0.1.0/24"));
        Assert.Equal(0, replica.Log.Seq);
        Assert.Equal(2, session.PendingCount);

        await session.FlushAsync();
        Assert.Equal((2L, 2, 1), (replica.Log.Seq, replica.Log.State.Size, replica.Applies));
        Assert.Equal(0, session.PendingCount);
    }

    [Fact]
    public async Task Commit_SeqJump_ReplicasTakeSnapshotAtNewSeq()
    {
        var replica = new FakeReplica(0);
        var session = Session(ReplicationMode.Synchronous, 1, 0, replica);
        await CommitAsync(session, Add("10.0.0.0/24"));
        await CommitAsync(session, Add("10.0.1.0/24"), atLeast: 10);
        Assert.Equal(10, session.Seq);
        Assert.Equal((10L, 2), (replica.Log.Seq, replica.Log.State.Size));
    }

    [Fact]
    public async Task Commit_ReplicaOnThePrimarysCard_IsRelocatedAndRefilled()
    {
        var replica = new FakeReplica(0, card: "card-1");
        var session = Session(ReplicationMode.Synchronous, 1, 0, replica);
        await CommitAsync(session, Add("10.0.0.0/24"));
        Assert.Equal(1, replica.Relocations);
        Assert.False(session.Protected);

        await session.FlushAsync();
        Assert.True(session.Protected);
        Assert.Equal("elsewhere-1", Assert.Single(session.Describe()).CardId);
    }

    [Fact]
    public async Task Commit_TwoReplicasOnOneCard_SecondIsSpreadOutWhenAnotherCardExists()
    {
        var first = new FakeReplica(0, card: "card-2");
        var second = new FakeReplica(1, card: "card-2");
        var session = Session(ReplicationMode.Synchronous, 1, 0, first, second);
        await CommitAsync(session, Add("10.0.0.0/24"));
        Assert.Equal((0, 1), (first.Relocations, second.Relocations));

        await session.FlushAsync();
        Assert.Equal(["card-2", "elsewhere-1"], session.Describe().Select(r => r.CardId));
        Assert.True(session.Protected);
    }

    [Fact]
    public async Task Commit_TwoReplicasOnOneCard_StayWhenNoOtherCardExists()
    {
        _otherCards = 1;
        var first = new FakeReplica(0, card: "card-2");
        var second = new FakeReplica(1, card: "card-2");
        var session = Session(ReplicationMode.Synchronous, 1, 0, first, second);
        await CommitAsync(session, Add("10.0.0.0/24"));
        await CommitAsync(session, Add("10.0.1.0/24"));
        Assert.Equal(0, second.Relocations);
        Assert.All(session.Describe(), r => Assert.True(r.InSync));
    }

    [Fact]
    public async Task CheckReplicaCards_DeadCard_UnprotectedUntilRefilledAndTheTimeIsKept()
    {
        var replica = new FakeReplica(0, card: "card-2");
        var session = Session(ReplicationMode.Synchronous, 1, 0, replica);
        await session.FenceAllAsync();
        await CommitAsync(session, Add("10.0.0.0/24"));
        Assert.True(session.Protected);

        session.CheckReplicaCards(card => card != "card-2");
        Assert.False(session.Protected);
        Assert.Equal(_time.GetUtcNow(), session.UnprotectedSince);
        Assert.Contains("card 'card-2' is dead", Assert.Single(session.Describe()).LastError);

        _time.Advance(TimeSpan.FromMilliseconds(750));
        replica.Card = "card-3"; // Orleans re-places the replica on a live card
        replica.Log.Install(new HotStateSnapshot<RoutingState>(0, 0, new RoutingState()));
        await session.FlushAsync();
        Assert.True(session.Protected);
        Assert.Null(session.UnprotectedSince);
        Assert.Equal(TimeSpan.FromMilliseconds(750), session.LastUnprotected);
        Assert.Equal((1L, 1), (replica.Log.Seq, replica.Log.State.Size));
    }

    [Fact]
    public void Freshest_PicksHighestSeqThenEpoch()
    {
        var a = new HotStateSnapshot<RoutingState>(3, 10, new RoutingState());
        var b = new HotStateSnapshot<RoutingState>(2, 12, new RoutingState());
        var c = new HotStateSnapshot<RoutingState>(4, 12, new RoutingState());
        Assert.Same(c, ReplicationSession<RoutingState, RoutingDelta>.Freshest([a, null, b, c]));
        Assert.Null(ReplicationSession<RoutingState, RoutingDelta>.Freshest([null, null]));
    }

    /// <summary>A replica in memory; copies installed state as a real (remote) replica would.</summary>
    private sealed class FakeReplica(int index, string card = "fake") : IReplicaChannel<RoutingState, RoutingDelta>
    {
        public string Card { get; set; } = card;

        public int Relocations { get; private set; }

        public Task Relocate(string? targetCardId)
        {
            Relocations++;
            Card = targetCardId ?? $"elsewhere-{Relocations}";
            return Task.CompletedTask;
        }

        public ReplicaLog<RoutingState, RoutingDelta> Log { get; } = new();

        public bool Unreachable { get; set; }

        public int Installs { get; private set; }

        public int Applies { get; private set; }

        public int Index => index;

        public Task<ReplicaAck> Apply(DeltaBatch<RoutingDelta> batch) => Answer(() =>
        {
            Applies++;
            return Log.Apply(batch);
        });

        public Task<ReplicaAck> Install(HotStateSnapshot<RoutingState> snapshot) => Answer(() =>
        {
            Installs++;
            var copy = new RoutingState();
            copy.Apply(new RoutingDelta { Announce = snapshot.State.Rib.Values.SelectMany(p => p.Values).ToList() });
            return Log.Install(snapshot with { State = copy });
        });

        public Task<ReplicaAck> Fence(long epoch, long seq) => Answer(() => Log.Fence(epoch, seq));

        public Task<ReplicaAck> Poison(long epoch) => Answer(() => Log.Poison(epoch));

        public Task<HotStateSnapshot<RoutingState>> GetSnapshot() => Task.FromResult(Log.Snapshot(Card));

        private Task<ReplicaAck> Answer(Func<ReplicaOutcome> act) =>
            Unreachable ? Task.FromException<ReplicaAck>(new TimeoutException("replica unreachable")) : Task.FromResult(new ReplicaAck(act(), Log.Epoch, Log.Seq, Card));
    }
}
