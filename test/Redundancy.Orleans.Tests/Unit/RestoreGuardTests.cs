using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Routing.State;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

public sealed class RestoreGuardTests
{
    private static RestoreGuard.Answer<RoutingState> Copy(long seq) => new(new HotStateSnapshot<RoutingState>(1, seq, new RoutingState()), false, null);

    private static RestoreGuard.Answer<RoutingState> Timeout(int i) => new(null, false, $"replica {i}: timed out");

    private static RestoreGuard.Answer<RoutingState> NoCard(int i) => new(null, true, $"replica {i}: no card");

    [Fact]
    public void NoReplicaAnswered_RefusesToStartEmpty()
    {
        var reason = RestoreGuard.RefusalReason("bgp-1", [Timeout(0), Timeout(1)]);
        Assert.Contains("none of its 2 replica(s) answered", reason);
        Assert.Contains("refusing to start empty", reason);
    }

    [Fact]
    public void OneReplicaAnswered_GoesOn() => Assert.Null(RestoreGuard.RefusalReason("bgp-1", [Timeout(0), Copy(7)]));

    [Fact]
    public void EmptyReplicaAnswered_GoesOn() => Assert.Null(RestoreGuard.RefusalReason("bgp-1", [Copy(0)]));

    [Fact]
    public void NoCardCanHoldAReplica_StartsEmpty() => Assert.Null(RestoreGuard.RefusalReason("bgp-1", [NoCard(0)]));

    [Fact]
    public void NoReplicasConfigured_StartsEmpty() => Assert.Null(RestoreGuard.RefusalReason<RoutingState>("bgp-1", []));
}
