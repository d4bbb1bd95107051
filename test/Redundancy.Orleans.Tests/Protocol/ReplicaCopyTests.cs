using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Protocol.Simulation;
using Xunit;

namespace Redundancy.Orleans.Tests.Protocol;

[Trait("Category", "Unit")]
[Trait("Category", TestCategories.Unit)]
public sealed class ReplicaCopyTests
{
    private static DeltaBatch<RegisterDelta> Batch(long ballot, long first, params long[] values) =>
        new(ballot, first, [.. values.Select((v, i) => new RegisterDelta(i, v))]);

    private static ReplicaCopy<RegisterState, RegisterDelta> Filled(long ballot, long seq)
    {
        var copy = new ReplicaCopy<RegisterState, RegisterDelta>("c1");
        var state = new RegisterState();
        state.Apply(new RegisterDelta(0, seq));
        copy.Install(new HotStateSnapshot<RegisterState>(ballot, seq, state));
        return copy;
    }

    [Fact]
    public void Promise_LowerBallotRefused_EqualOrHigherTaken()
    {
        var copy = Filled(3, 10);
        Assert.Equal(ReplicaOutcome.StaleBallot, copy.Promise(2));
        Assert.Equal(ReplicaOutcome.Applied, copy.Promise(3));
        Assert.Equal(ReplicaOutcome.Applied, copy.Promise(5));
        Assert.Equal(ReplicaOutcome.StaleBallot, copy.Promise(4));
        Assert.Equal((5L, 3L, 10L), (copy.Promised, copy.DataBallot, copy.Seq)); // a promise never touches the data (hole 3)
    }

    [Fact]
    public void Apply_SameBallot_IdempotentAndInOrder()
    {
        var copy = Filled(2, 5);
        Assert.Equal(ReplicaOutcome.Applied, copy.Apply(Batch(2, 6, 60, 70)));
        Assert.Equal(ReplicaOutcome.Applied, copy.Apply(Batch(2, 6, 60, 70))); // again: skipped, same history
        Assert.Equal(ReplicaOutcome.NeedSnapshot, copy.Apply(Batch(2, 9, 90))); // a gap
        Assert.Equal(7, copy.Seq);
    }

    [Fact]
    public void Apply_NewBallot_ContinuesOnlyFromTheExactCopyItRestored()
    {
        var copy = Filled(2, 5);
        var wrongBase = Batch(4, 6, 60) with { BaseBallot = 2, BaseSeq = 4 };
        Assert.Equal(ReplicaOutcome.NeedSnapshot, copy.Apply(wrongBase));
        var rightBase = Batch(4, 6, 60) with { BaseBallot = 2, BaseSeq = 5 };
        Assert.Equal(ReplicaOutcome.Applied, copy.Apply(rightBase));
        Assert.Equal((4L, 6L), (copy.DataBallot, copy.Seq));
    }

    [Fact]
    public void Apply_SameSeqFromAnotherBallot_IsNeverSkippedAsAlreadyApplied()
    {
        // Hole 4: two primaries writing seq 6 in different ballots are different histories; skipping one as "applied" forks them.
        var copy = Filled(2, 5);
        copy.Apply(Batch(2, 6, 60));
        Assert.Equal(ReplicaOutcome.NeedSnapshot, copy.Apply(Batch(3, 6, 66) with { BaseBallot = 2, BaseSeq = 5 }));
        Assert.Equal(ReplicaOutcome.StaleBallot, copy.Apply(Batch(2, 7, 70)));
    }

    [Fact]
    public void Install_OlderSnapshotOfTheSameBallot_KeepsTheFresherCopy()
    {
        var copy = Filled(2, 8);
        Assert.Equal(ReplicaOutcome.Applied, copy.Install(new HotStateSnapshot<RegisterState>(2, 5, new RegisterState())));
        Assert.Equal(8, copy.Seq);
        Assert.Equal(ReplicaOutcome.StaleBallot, copy.Install(new HotStateSnapshot<RegisterState>(1, 50, new RegisterState())));
    }

    [Fact]
    public void PromiseAtLeast_AnEmptyCopyRefusesEveryOlderPrimary()
    {
        // A replica that starts empty promises the ledger's highest ballot first (I5): a superseded primary cannot fill it.
        var copy = new ReplicaCopy<RegisterState, RegisterDelta>("c9");
        copy.PromiseAtLeast(7);
        Assert.Equal(ReplicaOutcome.StaleBallot, copy.Install(new HotStateSnapshot<RegisterState>(6, 100, new RegisterState())));
        Assert.False(copy.HasState);
    }
}
