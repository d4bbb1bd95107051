using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Cluster;

[Collection(SynchronousChassisCollection.Name)]
[Trait("Category", TestCategories.Cluster)]
public sealed class CrashRestoreTests(SynchronousChassisFixture chassis)
{
    [Fact]
    public async Task Crash_ProcessComesBackOnSameCardWithExactAcknowledgedRoutesAndSeq()
    {
        var bgp = chassis.Process("bgp-1");
        var before = await chassis.WaitReadyAsync("bgp-1");
        await bgp.Update(TestRoutes.Announce([.. Enumerable.Range(0, 300).Select(i => TestRoutes.V4($"10.1.{i / 256}.{i % 256}/32"))]));
        await bgp.Update(TestRoutes.Announce(TestRoutes.V4("2001:db8:1::/48", "2001:db8::1"), TestRoutes.V4("10.1.0.0/32", "192.0.2.7", 50, RouteOrigins.Ospf)));
        var last = await bgp.Update(TestRoutes.Withdraw("10.1.0.5/32", "10.1.0.6/32"));
        var expected = await bgp.GetRoutes();
        var fibBefore = await bgp.GetForwardingTable();

        await bgp.AsReference<IRedundantProcess>().Crash();
        var after = await chassis.WaitReadyAsync("bgp-1", before.Epoch, "restored after the crash");

        var restored = await bgp.GetRoutes();
        Assert.Equal(before.CardId, after.CardId);
        Assert.Equal(last.Seq, restored.Seq);
        Assert.Equal(TestRoutes.Lines(expected.Routes.Select(r => r.Route)), TestRoutes.Lines(restored.Routes.Select(r => r.Route)));
        Assert.Equal(expected.Routes.Count(r => r.Best), restored.Routes.Count(r => r.Best));
        Assert.Equal(298, restored.Routes.Count(r => r.Best && r.Route.Prefix.StartsWith("10.1.", StringComparison.Ordinal)));

        // M10: the card's forwarding table outlived the crash, so the audit found it complete.
        var audit = Assert.IsType<Audit.AuditReport>(after.LastAudit);
        var fibFinding = Assert.Single(audit.Findings, f => f.Target.StartsWith("fib@", StringComparison.Ordinal));
        Assert.Equal((0, 0, 0), (fibFinding.Missing, fibFinding.Stale, fibFinding.Wrong));
        Assert.True(audit.Clean, $"audit should be clean: {string.Join("; ", audit.Findings.Select(f => $"{f.Target}: {f.Action}"))}");
        var fibAfter = await bgp.GetForwardingTable();
        Assert.Equal(TestRoutes.Lines(fibBefore.Entries), TestRoutes.Lines(fibAfter.Entries));
        Assert.Equal(TestRoutes.Lines(restored.Routes.Where(r => r.Best).Select(r => r.Route)), TestRoutes.Lines(fibAfter.Entries));
    }

    [Fact]
    public async Task Crash_CallsRightAfter_NeverSeeTheCrashedActivationsEmptyState()
    {
        var process = chassis.Process("burst-2");
        await chassis.WaitReadyAsync("burst-2");
        var ack = await process.Update(TestRoutes.Announce([.. Enumerable.Range(0, 100).Select(i => TestRoutes.V4($"10.11.{i}.0/24"))]));
        for (var round = 0; round < 3; round++) // the fixture quarantines after 3 restarts
        {
            await process.AsReference<IRedundantProcess>().Crash();
            var restarting = 0;
            while (true)
            {
                try
                {
                    var status = await process.AsReference<IRedundantProcess>().GetStatus();
                    Assert.Equal(ProcessState.Ready, status.State);
                    Assert.Equal(100, status.StateSize);
                    Assert.Equal(ack.Seq, status.Seq);
                    break;
                }
                catch (RedundancyException e) when (e.Kind == RedundancyErrorKind.Restarting)
                {
                    Assert.True(++restarting < 10_000, "the crashed activation kept answering");
                }
            }
        }
    }

    [Fact]
    public async Task Placement_EveryReplicaOnAnotherActiveLineCardNeverWithItsPrimaryOrOnASpare()
    {
        string[] names = ["bgp-1", "bgp-2", "bgp-3", "ospf-1", "ospf-2", "ospf-3"];
        foreach (var name in names)
        {
            await chassis.Process(name).Update(TestRoutes.Announce(TestRoutes.V4("10.200.0.0/16")));
            var status = await chassis.WaitReadyAsync(name);
            Assert.Equal($"card-{status.Slot}", status.CardId);
            var replica = Assert.Single(status.Replicas);
            Assert.NotNull(replica.CardId);
            Assert.NotEqual(status.CardId, replica.CardId);
            Assert.StartsWith("card-", replica.CardId);
            Assert.True(replica.InSync, $"{name}: replica on {replica.CardId} acked {replica.AckedSeq}, primary at {status.Seq}");
        }
    }

    [Fact]
    public async Task StaleBallot_ReplicaRefusesTheOldPrimaryAndKeepsItsCopy()
    {
        var process = chassis.Process("fence-3");
        var first = await chassis.WaitReadyAsync("fence-3");
        var acked = await process.Update(TestRoutes.Announce(TestRoutes.V4("10.3.0.0/16")));
        await process.AsReference<IRedundantProcess>().Crash();
        var second = await chassis.WaitReadyAsync("fence-3", first.Epoch, "restored after the crash");

        var replica = chassis.Client.GetGrain<IHotStateReplica<RoutingState, RoutingDelta>>("fence-3/r0");
        var stale = new DeltaBatch<RoutingDelta>(first.Epoch, acked.Seq + 1, [new RoutingDelta { Announce = [TestRoutes.V4("10.66.0.0/16")] }]);
        var ack = await replica.AsReference<IHotStateObserver<RoutingState, RoutingDelta>>().Apply(stale);
        Assert.Equal(ReplicaOutcome.StaleBallot, ack.Outcome);
        Assert.Equal(second.Epoch, ack.Promised);

        var copy = await replica.Inspect();
        Assert.Equal(acked.Seq, copy.Seq);
        Assert.False(copy.State.Rib.ContainsKey("10.66.0.0/16"));
        Assert.Equal(["10.3.0.0/16"], (await process.GetRoutes()).Routes.Select(r => r.Route.Prefix));
    }

    [Fact]
    public async Task PoisonedState_KeepsCrashingUntilQuarantinedWithAClearStatus()
    {
        var process = chassis.Process("victim-2");
        await chassis.WaitReadyAsync("victim-2");
        await process.Update(TestRoutes.Announce(TestRoutes.V4("10.2.0.0/16")));
        await process.AsReference<IRedundantProcess>().Crash(poison: true);

        var status = await Eventually.WaitAsync(
            () => process.AsReference<IRedundantProcess>().GetStatus(),
            s => s.State == ProcessState.Quarantined,
            TimeSpan.FromSeconds(30),
            "victim-2 quarantined by the restart-intensity limit",
            s => $"state {s.State}, restarts {s.Restarts}");
        Assert.Contains("limit 3", status.Reason);
        Assert.True(status.Restarts > 3);

        var refused = await Assert.ThrowsAsync<RedundancyException>(() => process.Update(TestRoutes.Announce(TestRoutes.V4("10.9.0.0/16"))));
        Assert.Equal(RedundancyErrorKind.NotServing, refused.Kind);
        Assert.Contains("quarantined", refused.Message);
    }

    [Fact]
    public async Task Release_QuarantinedByRepeatedCrashes_RestartsWithItsRoutes()
    {
        var process = chassis.Process("release-3");
        await chassis.WaitReadyAsync("release-3");
        var ack = await process.Update(TestRoutes.Announce(TestRoutes.V4("10.33.0.0/16"), TestRoutes.V4("10.34.0.0/16")));
        var notQuarantined = await Assert.ThrowsAsync<RedundancyException>(() => process.AsReference<IRedundantProcess>().Release());
        Assert.Contains("not quarantined", notQuarantined.Message);

        for (var i = 0; i <= 3; i++) // one more than the fixture's limit of 3
        {
            var before = await Eventually.WaitAsync(() => process.AsReference<IRedundantProcess>().GetStatus(), s => s.State is ProcessState.Ready or ProcessState.Quarantined, TimeSpan.FromSeconds(30), $"release-3 up before crash {i + 1}");
            if (before.State == ProcessState.Quarantined)
            {
                break;
            }

            await process.AsReference<IRedundantProcess>().Crash();
        }

        await Eventually.WaitAsync(() => process.AsReference<IRedundantProcess>().GetStatus(), s => s.State == ProcessState.Quarantined, TimeSpan.FromSeconds(30), "release-3 quarantined after 4 crashes");
        await process.AsReference<IRedundantProcess>().Release();
        var released = await Eventually.WaitAsync(() => process.AsReference<IRedundantProcess>().GetStatus(), s => s.State == ProcessState.Ready, TimeSpan.FromSeconds(30), "release-3 ready after release",
            s => $"state {s.State}, reason {s.Reason}");
        Assert.Equal(ack.Seq, released.Seq);
        Assert.Equal(["10.33.0.0/16", "10.34.0.0/16"], (await process.GetRoutes()).Routes.Select(r => r.Route.Prefix));
    }

    [Fact]
    public async Task Update_BadInput_IsRefusedAndChangesNothing()
    {
        var process = chassis.Process("input-1");
        await chassis.WaitReadyAsync("input-1");
        var good = await process.Update(TestRoutes.Announce(TestRoutes.V4("10.4.0.0/16")));
        RouteUpdate[] bad =
        [
            new RouteUpdate(),
            TestRoutes.Announce(TestRoutes.V4("10.4.0.1/16")),
            TestRoutes.Announce(TestRoutes.V4("10.5.0.0/16"), TestRoutes.V4("10.6.0.0/16", "2001:db8::1")),
            new RouteUpdate { Withdraw = [.. Enumerable.Range(0, 10_001).Select(i => "10.7.0.0/16")] },
        ];
        foreach (var update in bad)
        {
            var e = await Assert.ThrowsAsync<RedundancyException>(() => process.Update(update));
            Assert.Equal(RedundancyErrorKind.InvalidInput, e.Kind);
        }

        var routes = await process.GetRoutes();
        Assert.Equal(good.Seq, routes.Seq);
        Assert.Equal(["10.4.0.0/16"], routes.Routes.Select(r => r.Route.Prefix));
    }
}
