using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

public sealed class ReplicaLogTests
{
    private static RoutingDelta Add(string prefix) => new() { Announce = [TestRoutes.V4(prefix)] };

    private static DeltaBatch<RoutingDelta> Batch(long epoch, long first, params RoutingDelta[] deltas) => new(epoch, first, deltas);

    [Fact]
    public void Apply_InOrder_AppliesEveryDelta()
    {
        var log = new ReplicaLog<RoutingState, RoutingDelta>();
        Assert.Equal(ReplicaOutcome.Applied, log.Apply(Batch(1, 1, Add("10.0.0.0/24"), Add("10.0.1.0/24"))));
        Assert.Equal(ReplicaOutcome.Applied, log.Apply(Batch(1, 3, Add("10.0.2.0/24"))));
        Assert.Equal(3, log.Seq);
        Assert.Equal(3, log.State.Size);
    }

    [Fact]
    public void Apply_Gap_AsksForSnapshotAndChangesNothing()
    {
        var log = new ReplicaLog<RoutingState, RoutingDelta>();
        log.Apply(Batch(1, 1, Add("10.0.0.0/24")));
        Assert.Equal(ReplicaOutcome.NeedSnapshot, log.Apply(Batch(1, 3, Add("10.0.2.0/24"))));
        Assert.Equal(1, log.Seq);
        Assert.Equal(1, log.State.Size);
    }

    [Fact]
    public void Apply_EmptyReplicaGetsLaterBatch_AsksForSnapshot()
    {
        var log = new ReplicaLog<RoutingState, RoutingDelta>();
        Assert.Equal(ReplicaOutcome.NeedSnapshot, log.Apply(Batch(1, 5, Add("10.0.0.0/24"))));
        Assert.False(log.HasState);
    }

    [Fact]
    public void Apply_Duplicate_IsIdempotent()
    {
        var log = new ReplicaLog<RoutingState, RoutingDelta>();
        var batch = Batch(1, 1, Add("10.0.0.0/24"), Add("10.0.1.0/24"));
        log.Apply(batch);
        Assert.Equal(ReplicaOutcome.Applied, log.Apply(batch));
        Assert.Equal(ReplicaOutcome.Applied, log.Apply(Batch(1, 2, Add("10.0.1.0/24"), Add("10.0.2.0/24"))));
        Assert.Equal(3, log.Seq);
        Assert.Equal(3, log.State.Size);
    }

    [Fact]
    public void Apply_OlderEpoch_IsRejectedAndChangesNothing()
    {
        var log = new ReplicaLog<RoutingState, RoutingDelta>();
        log.Apply(Batch(1, 1, Add("10.0.0.0/24")));
        Assert.Equal(ReplicaOutcome.Applied, log.Fence(2, 1));
        Assert.Equal(ReplicaOutcome.StaleEpoch, log.Apply(Batch(1, 2, Add("10.0.9.0/24"))));
        Assert.Equal(ReplicaOutcome.StaleEpoch, log.Install(new HotStateSnapshot<RoutingState>(1, 9, new RoutingState())));
        Assert.Equal(1, log.Seq);
        Assert.Equal(1, log.State.Size);
        Assert.Equal(2, log.Epoch);
    }

    [Fact]
    public void Fence_DifferentSeq_AsksForSnapshot()
    {
        var log = new ReplicaLog<RoutingState, RoutingDelta>();
        log.Apply(Batch(1, 1, Add("10.0.0.0/24"), Add("10.0.1.0/24")));
        Assert.Equal(ReplicaOutcome.NeedSnapshot, log.Fence(2, 1));
        Assert.Equal(ReplicaOutcome.Applied, log.Fence(3, 2));
    }

    [Fact]
    public void Apply_NewEpochResendsHeldSeq_AsksForSnapshot()
    {
        var log = new ReplicaLog<RoutingState, RoutingDelta>();
        log.Apply(Batch(1, 1, Add("10.0.0.0/24"), Add("10.0.1.0/24")));
        Assert.Equal(ReplicaOutcome.NeedSnapshot, log.Apply(Batch(2, 2, Add("10.0.7.0/24"))));
        Assert.Equal(ReplicaOutcome.Applied, log.Apply(Batch(2, 3, Add("10.0.7.0/24"))));
    }

    [Fact]
    public void Install_ReplacesCopyAndSnapshotReturnsIt()
    {
        var log = new ReplicaLog<RoutingState, RoutingDelta>();
        var state = new RoutingState();
        state.Apply(Add("10.9.0.0/16"));
        Assert.Equal(ReplicaOutcome.Applied, log.Install(new HotStateSnapshot<RoutingState>(3, 42, state)));
        var snapshot = log.Snapshot("card-2");
        Assert.Equal((3L, 42L, 1, "card-2"), (snapshot.Epoch, snapshot.Seq, snapshot.State.Size, snapshot.CardId));
    }
}
