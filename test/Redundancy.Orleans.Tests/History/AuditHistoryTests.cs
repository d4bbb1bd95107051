using Redundancy.Orleans.Audit;
using Redundancy.Orleans.History;
using Xunit;

namespace Redundancy.Orleans.Tests.History;

/// <summary>A process's audit history: numbered in order, paged, the newest within retention kept.</summary>
public sealed class AuditHistoryTests(HistoryClusterFixture fixture) : IClassFixture<HistoryClusterFixture>
{
    [Fact]
    public async Task Append_MoreThanRetention_KeepsTheNewest_NumberedInOrder_AndPages()
    {
        var history = fixture.Cluster.Client.GetGrain<IAuditHistoryGrain>("bgp-audits");
        var audits = Enumerable.Range(1, 14).Select(i => new AuditRecord { Process = "bgp-audits", CardId = "card-1", RestoreMs = i, Report = new AuditReport { Checked = i, Findings = [new AuditFinding { Target = "fib@card-1", Missing = i }] } }).ToList();
        await history.Append(audits[..5]);
        await history.Append(audits[5..]);

        var all = await history.Read(0, 100);
        Assert.Equal(Enumerable.Range(5, 10).Select(i => (long)i), all.Select(a => a.Id));
        Assert.Equal(Enumerable.Range(5, 10), all.Select(a => a.Report.Checked));
        Assert.Equal([8L, 9L], (await history.Read(7, 2)).Select(a => a.Id));

        // Read back from storage (every grain deactivated), findings included.
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(Enumerable.Range(5, 10), (await history.Read(0, 100)).Select(a => a.Report.Findings.Single().Missing));
    }
}
