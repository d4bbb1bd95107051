using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Protocol.Simulation;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Protocol;

[Trait("Category", "Unit")]
[Trait("Category", TestCategories.Unit)]
public sealed class RestorerTests
{
    private readonly MemoryLedger _ledger = new();
    private readonly ManualTimeProvider _time = new();

    private static HotStateSnapshot<RegisterState> Copy(long ballot, long seq, long value)
    {
        var state = new RegisterState();
        state.Apply(new RegisterDelta(0, value));
        return new HotStateSnapshot<RegisterState>(ballot, seq, state);
    }

    private Restorer<RegisterState, RegisterDelta> Restorer(ReplicationSettings settings, params MemoryReplica[] replicas) =>
        new("P", settings with { RestoreWait = TimeSpan.Zero }, replicas, _ledger, new FixedCards("card-1", "card-2", "card-3", "card-4"), _time);

    private void Members(params MemoryReplica[] replicas) =>
        _ledger.Record.InSync = new InSyncSet { Version = 1, Ballot = _ledger.Record.HighestBallot, Members = [.. replicas.Select(r => new InSyncMember(r.Index, r.Copy.CopyId, r.Card))], Seq = 1 };

    [Fact]
    public async Task Restore_TakesTheFreshestMemberByBallotThenSeq_NotTheHighestSeq()
    {
        // Hole 3: r1 holds seq 12 of ballot 1 (never acknowledged), r0 seq 10 of ballot 2, which acknowledged it.
        var r0 = new MemoryReplica(0, "card-2", "c0");
        var r1 = new MemoryReplica(1, "card-3", "c1");
        r0.Copy.Install(Copy(2, 10, 20));
        r1.Copy.Install(Copy(1, 12, 11));
        _ledger.Record.HighestBallot = 2;
        Members(r0, r1);

        var restored = await Restorer(new ReplicationSettings { ReplicaCount = 2, MinInSync = 2 }, r0, r1).RestoreAsync();
        Assert.Equal((2L, 10L, 20L), (restored.DataBallot, restored.Seq, restored.State.Values[0]));
        Assert.Equal(3, restored.Ballot);

        // The member behind it took the restored copy before the set was recorded: never an older copy over a fresher one.
        Assert.Equal((3L, 10L), (r1.Copy.DataBallot, r1.Copy.Seq));

        var flawed = new MemoryReplica(0, "card-2", "c0");
        var other = new MemoryReplica(1, "card-3", "c1");
        flawed.Copy.Install(Copy(2, 10, 20));
        other.Copy.Install(Copy(1, 12, 11));
        Members(flawed, other);
        var wrong = await Restorer(new ReplicationSettings { ReplicaCount = 2, MinInSync = 2, Flaws = ProtocolFlaws.FreshestBySeqFirst }, flawed, other).RestoreAsync();
        Assert.Equal(11, wrong.State.Values[0]); // the switch brings the old rule back: the acknowledged 20 would be lost
    }

    [Fact]
    public async Task Restore_OnlyFromTheInSyncSet_ASlowerFresherMemberIsWaitedFor()
    {
        // Hole 2: r1 left the set (it missed changes) and answers first; r0, the member, is unreachable: no restore from r1.
        var r0 = new MemoryReplica(0, "card-2", "c0") { Unreachable = true };
        var r1 = new MemoryReplica(1, "card-3", "c1");
        r0.Copy.Install(Copy(1, 20, 20));
        r1.Copy.Install(Copy(1, 12, 12));
        _ledger.Record.HighestBallot = 1;
        Members(r0);

        var refused = await Assert.ThrowsAsync<RedundancyException>(() => Restorer(new ReplicationSettings { ReplicaCount = 2, MinInSync = 1 }, r0, r1).RestoreAsync());
        Assert.Equal(RedundancyErrorKind.Unavailable, refused.Kind);
        Assert.Contains("r0 (copy c0 on card card-2)", refused.Message);
        Assert.Equal(1, _ledger.Record.HighestBallot); // no ballot taken: the serving primary, if any, is not fenced by a restore that cannot finish

        r0.Unreachable = false;
        var restored = await Restorer(new ReplicationSettings { ReplicaCount = 2, MinInSync = 1 }, r0, r1).RestoreAsync();
        Assert.Equal(20, restored.Seq);
    }

    [Fact]
    public async Task Restore_MemberLostItsCopy_RefusesToStartEmpty()
    {
        var r0 = new MemoryReplica(0, "card-2", "c0");
        r0.Copy.Install(Copy(1, 7, 7));
        _ledger.Record.HighestBallot = 1;
        Members(r0);
        r0.LoseCopy("c9", "card-4"); // its card died; the replica came back empty elsewhere

        var refused = await Assert.ThrowsAsync<RedundancyException>(() => Restorer(new ReplicationSettings(), r0).RestoreAsync());
        Assert.Contains("cannot restore", refused.Message);
    }

    [Fact]
    public async Task Restore_EmptyProcess_StartsAtANewBallotWhoseEmptyStateSupersedesOlderCopies()
    {
        // Hole 6: an empty start never reuses a ballot; its state is named by its own ballot.
        _ledger.Record.HighestBallot = 9;
        var restored = await Restorer(new ReplicationSettings(), new MemoryReplica(0, "card-2")).RestoreAsync();
        Assert.Equal((10L, 10L, 0L), (restored.Ballot, restored.DataBallot, restored.Seq));
    }
}
