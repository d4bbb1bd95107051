using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Protocol.Simulation;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Tests.Protocol;

[Trait("Category", "Unit")]
[Trait("Category", TestCategories.Unit)]
public sealed class ReplicationSessionTests
{
    private readonly MemoryLedger _ledger = new();
    private readonly ManualTimeProvider _time = new();
    private readonly RegisterState _state = new();
    private FixedCards _cards = new("card-1", "card-2", "card-3", "card-4");

    private async Task<ReplicationSession<RegisterState, RegisterDelta>> StartAsync(ReplicationSettings settings, params MemoryReplica[] replicas)
    {
        var restored = await new Restorer<RegisterState, RegisterDelta>("P", settings, replicas, _ledger, _cards, _time).RestoreAsync();
        var session = new ReplicationSession<RegisterState, RegisterDelta>(settings with { ReprotectWait = TimeSpan.Zero }, restored, () => _state, replicas, _ledger, () => _cards, _time);
        await session.MaintainAsync(); // the first tick fills the replicas
        return session;
    }

    private Task<CommitOutcome> Write(ReplicationSession<RegisterState, RegisterDelta> session, long value) =>
        session.CommitAsync(new RegisterDelta(0, value), _state.Apply);

    [Fact]
    public async Task Commit_EveryMemberHoldsIt_AnswerSaysProtectedAndHowMany()
    {
        var replicas = new[] { new MemoryReplica(0, "card-2"), new MemoryReplica(1, "card-3") };
        var session = await StartAsync(new ReplicationSettings { ReplicaCount = 2, MinInSync = 2 }, replicas);
        var outcome = await Write(session, 1);
        Assert.Equal((Protection.Protected, 2, 1L), (outcome.Protection, outcome.Replicas, outcome.Seq));
        Assert.All(replicas, r => Assert.Equal(1, r.Copy.State.Values[0]));
        Assert.Equal(2, session.InSync.Members.Count);
    }

    [Fact]
    public async Task Commit_BelowMinimum_RefusedBeforeAnythingChanges()
    {
        // Hole 1: a write that no replica can hold is refused, and leaves no trace on the primary or any replica.
        var r0 = new MemoryReplica(0, "card-2");
        var session = await StartAsync(new ReplicationSettings(), r0);
        await Write(session, 1);
        r0.Unreachable = true;
        await Assert.ThrowsAsync<RedundancyException>(() => Write(session, 2)); // sent: outcome unknown
        var refused = await Assert.ThrowsAsync<RedundancyException>(() => Write(session, 3));
        Assert.Equal(RedundancyErrorKind.NotProtected, refused.Kind);
        Assert.NotEqual(3, _state.Values[0]);
        Assert.Equal(1, r0.Copy.State.Values[0]);
    }

    [Fact]
    public async Task Commit_ReplicaFailsInFlight_OutcomeUnknownThenProtectedByReprotection()
    {
        var r0 = new MemoryReplica(0, "card-2");
        var session = await StartAsync(new ReplicationSettings(), r0);
        r0.Unreachable = true;
        var unknown = await Assert.ThrowsAsync<RedundancyException>(() => Write(session, 7));
        Assert.Equal(RedundancyErrorKind.OutcomeUnknown, unknown.Kind);
        Assert.Equal(0, session.VisibleSeq); // not shown outside (hole 10)

        r0.Unreachable = false;
        await session.MaintainAsync();
        Assert.True(session.Protected);
        Assert.Equal((1L, 1L), (session.ProtectedSeq, session.VisibleSeq));
        Assert.Equal(7, r0.Copy.State.Values[0]);
    }

    [Fact]
    public async Task Commit_AcceptUnprotected_AnswersUnprotectedWithNoReplica()
    {
        var r0 = new MemoryReplica(0, "card-2");
        var session = await StartAsync(new ReplicationSettings { Durability = DurabilityMode.AcceptUnprotected }, r0);
        r0.Unreachable = true;
        var first = await Write(session, 1); // sent, not held: unprotected by choice
        var second = await Write(session, 2);
        Assert.Equal((Protection.Unprotected, Protection.Unprotected), (first.Protection, second.Protection));
        Assert.Equal(0, second.Replicas);
    }

    [Fact]
    public async Task Commit_NoCardCanHoldAReplica_RefusedAtOnceWithoutTryingToPlaceOne()
    {
        // Hole 8: a degraded chassis answers at once instead of waiting for placement.
        _cards = new FixedCards("card-1", "card-2");
        var r0 = new MemoryReplica(0, "card-2");
        var session = await StartAsync(new ReplicationSettings(), r0);
        await Write(session, 1);
        _cards.Dead.Add("card-2");
        r0.Unreachable = true;
        await session.MaintainAsync();
        var installs = r0.Installs;
        var refused = await Assert.ThrowsAsync<RedundancyException>(() => Write(session, 2));
        Assert.Equal(RedundancyErrorKind.NotProtected, refused.Kind);
        Assert.Equal(installs, r0.Installs);
    }

    [Fact]
    public async Task Protected_TwoMembersOnOneCard_CountOnce()
    {
        var replicas = new[] { new MemoryReplica(0, "card-2", "a"), new MemoryReplica(1, "card-2", "b") };
        _cards = new FixedCards("card-1", "card-2");
        var session = await StartAsync(new ReplicationSettings { ReplicaCount = 2, MinInSync = 2 }, replicas);
        Assert.Equal(1, session.InSyncCount);
        Assert.False(session.Protected);
    }

    [Fact]
    public async Task Handover_PeriodicChangesFlushedAndHeld_OnlyThenMayItMove()
    {
        // Hole 9: a planned move checks that the in-sync set holds every change first.
        var r0 = new MemoryReplica(0, "card-2");
        var session = await StartAsync(new ReplicationSettings { Mode = ReplicationMode.Periodic }, r0);
        await Write(session, 1);
        r0.Unreachable = true;
        Assert.NotNull(await session.ReadyToHandOverAsync());
        r0.Unreachable = false;
        Assert.Null(await session.ReadyToHandOverAsync());
        Assert.Equal(1, r0.Copy.State.Values[0]);
    }

    [Fact]
    public async Task Commit_ReplicaPromisedAHigherBallot_FencedAndTheWriteIsUnknown()
    {
        var r0 = new MemoryReplica(0, "card-2");
        var session = await StartAsync(new ReplicationSettings(), r0);
        r0.Copy.Promise(session.Ballot + 1);
        var e = await Assert.ThrowsAsync<RedundancyException>(() => Write(session, 5));
        Assert.Equal(RedundancyErrorKind.OutcomeUnknown, e.Kind);
        Assert.NotNull(session.FencedBy);
        var after = await Assert.ThrowsAsync<RedundancyException>(() => Write(session, 6));
        Assert.Equal(RedundancyErrorKind.NotServing, after.Kind);
    }

    [Fact]
    public async Task Commit_NoReplicasConfigured_AnswersAtOnceWithoutWaitingForProtection()
    {
        // A process with no replicas (the benchmark's baseline) can never be protected: its writes must not wait for
        // re-protection. The wait is an hour of a clock that does not move; the write is bounded by real seconds.
        var settings = new ReplicationSettings { ReplicaCount = 0, Durability = DurabilityMode.AcceptUnprotected, ReprotectWait = TimeSpan.FromHours(1) };
        var restored = await new Restorer<RegisterState, RegisterDelta>("P", settings, [], _ledger, _cards, _time).RestoreAsync();
        var session = new ReplicationSession<RegisterState, RegisterDelta>(settings, restored, () => _state, [], _ledger, () => _cards, _time);
        for (var i = 1; i <= 3; i++)
        {
            var outcome = await Write(session, i).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal((Protection.Unprotected, 0, (long)i), (outcome.Protection, outcome.Replicas, outcome.Seq));
        }
    }

    [Fact]
    public async Task Commit_StaysDegraded_OnlyTheFirstWriteWaitsForReprotection()
    {
        // A process that accepts unprotected writes and cannot be re-protected waits ReprotectWait once; the writes after
        // it try once and answer at once, until a write finds the process protected again.
        var r0 = new MemoryReplica(0, "card-2");
        var settings = new ReplicationSettings { Durability = DurabilityMode.AcceptUnprotected };
        var restored = await new Restorer<RegisterState, RegisterDelta>("P", settings, [r0], _ledger, _cards, _time).RestoreAsync();
        var session = new ReplicationSession<RegisterState, RegisterDelta>(settings with { ReprotectWait = TimeSpan.FromHours(1) }, restored, () => _state, [r0], _ledger, () => _cards, _time);
        await session.MaintainAsync();
        Assert.True(session.Protected);
        r0.Unreachable = true;
        var first = Write(session, 1); // in flight when the replica fails: waits for re-protection on the clock that does not move
        Assert.False(first.IsCompleted, "the first write after the replica failed should wait for re-protection");
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(Protection.Unprotected, (await first.WaitAsync(TimeSpan.FromSeconds(30))).Protection);

        for (var i = 2; i <= 3; i++)
        {
            Assert.Equal(Protection.Unprotected, (await Write(session, i).WaitAsync(TimeSpan.FromSeconds(30))).Protection);
        }

        r0.Unreachable = false;
        await session.MaintainAsync();
        Assert.Equal(Protection.Protected, (await Write(session, 4).WaitAsync(TimeSpan.FromSeconds(30))).Protection);
        Assert.Equal(4, r0.Copy.State.Values[0]);
    }
}
