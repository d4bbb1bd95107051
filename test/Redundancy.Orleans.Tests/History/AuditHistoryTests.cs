using Microsoft.Extensions.DependencyInjection;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.History;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.History;

/// <summary>A process's audit history: numbered in order, paged, the newest within retention kept.</summary>
[Collection(HistoryCollection.Name)]
[Trait("Category", TestCategories.Cluster)]
public sealed class AuditHistoryTests(HistoryClusterFixture fixture)
{
    [Fact]
    public async Task Restore_QueuesItsAudit_ThePumpRecordsItWithTheCard()
    {
        var at = DateTimeOffset.UtcNow;
        fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<AuditJournal>().Record(new AuditRecord { Process = "pumped-1", At = at, RestoreMs = 12, Report = new AuditReport { Checked = 3 } });
        var recorded = await Eventually.WaitAsync(() => fixture.Cluster.Client.GetGrain<IAuditHistoryGrain>("pumped-1").Read(0, 10), a => a.Count == 1,
            TimeSpan.FromSeconds(30), "the audit pump to record the queued audit of pumped-1", a => $"{a.Count} audits");
        Assert.Equal(("card-7", at, 3), (recorded[0].CardId, recorded[0].At, recorded[0].Report.Checked));
    }

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
