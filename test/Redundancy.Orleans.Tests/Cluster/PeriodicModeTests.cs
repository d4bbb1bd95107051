using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Cluster;

[Collection(PeriodicChassisCollection.Name)]
[Trait("Category", TestCategories.Cluster)]
public sealed class PeriodicModeTests(PeriodicChassisFixture chassis)
{
    [Fact]
    public async Task Crash_BeforeFlush_AuditRecoversTheGapFromTheForwardingTable()
    {
        var process = chassis.Process("gap-1");
        var before = await chassis.WaitReadyAsync("gap-1");
        await chassis.WaitReadyAsync("gap-2");
        await process.Update(TestRoutes.Announce([.. Enumerable.Range(0, 50).Select(i => TestRoutes.V4($"10.8.{i}.0/24"))]));
        var last = await process.Update(TestRoutes.Withdraw("10.8.7.0/24"));
        var expected = await process.GetRoutes();
        var replicaStatus = await process.AsReference<IRedundantProcess>().GetStatus();
        Assert.True(replicaStatus.Replicas.All(r => r.AckedSeq < last.Seq), "the flush interval is 1 h: the replica must lag");

        await process.AsReference<IRedundantProcess>().Crash();
        var after = await chassis.WaitReadyAsync("gap-1", before.Epoch, "restored after the crash");

        var restored = await process.GetRoutes();
        Assert.Equal(TestRoutes.Lines(expected.Routes.Select(r => r.Route)), TestRoutes.Lines(restored.Routes.Select(r => r.Route)));
        Assert.True(restored.Seq >= last.Seq, $"seq {restored.Seq} must not go back behind the acknowledged {last.Seq}");
        var audit = after.LastAudit!;
        Assert.True(audit.AuditedSeq > audit.RestoredSeq, $"audit should close the gap: restored {audit.RestoredSeq}, audited {audit.AuditedSeq}");
        var recovered = Assert.Single(audit.Findings, f => f.Target == "restored state");
        Assert.Equal(49, recovered.Missing);
        Assert.Contains("recovered 49 best paths from fib@card-1", recovered.Action);
    }
}
