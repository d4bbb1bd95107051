using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.History;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.History;

/// <summary>
/// The control plane's storage (Redis in cluster mode) keeps the event and audit history as JSON with assembly-qualified
/// type names. The records moved from Redundancy.Orleans.Abstractions to Redundancy.Orleans.Contracts: history an earlier
/// build stored under the old assembly's name must still read after an upgrade (Abstractions forwards the types).
/// </summary>
[Collection(HistoryCollection.Name)]
[Trait("Category", TestCategories.Cluster)]
public sealed class StoredHistoryTypeNameTests(HistoryClusterFixture fixture)
{
    private const string Contracts = ", Redundancy.Orleans.Contracts";
    private const string EarlierAssembly = ", Redundancy.Orleans.Abstractions";

    [Fact]
    public void EventPage_StoredByAnEarlierBuild_UnderTheAbstractionsAssemblyName_ReadsBackTheSameEvents()
    {
        // Lists, as the history grains keep them (the read-only type of a collection expression has no constructor for the reader).
        var page = new EventPage
        {
            Events =
            [
                new ChassisEvent { Id = 7, Kind = ChassisEventKind.CardFailover, CardId = "card-2", Slot = 2, NewCardId = "spare-1", DetectedAt = DateTimeOffset.UnixEpoch, TotalMs = 812.5, ReadyProcesses = new List<string> { "bgp-2" } },
            ],
        };

        var read = ReadAsEarlierBuildWroteIt(page);

        Assert.Equal(page.Events[0] with { ReadyProcesses = [] }, read.Events.Single() with { ReadyProcesses = [] });
        Assert.Equal(new[] { "bgp-2" }, read.Events.Single().ReadyProcesses);
    }

    [Fact]
    public void AuditHistory_StoredByAnEarlierBuild_UnderTheAbstractionsAssemblyName_ReadsBackTheSameAudits()
    {
        var history = new AuditHistory
        {
            LastId = 3,
            Audits = [new AuditRecord { Id = 3, Process = "bgp-1", CardId = "card-1", RestoreMs = 40.5, Report = new AuditReport { Checked = 1000, Findings = new List<AuditFinding> { new() { Target = "fib@card-1" } } } }],
        };

        var read = ReadAsEarlierBuildWroteIt(history);

        var audit = Assert.Single(read.Audits);
        Assert.Equal(history.Audits[0] with { Report = null! }, audit with { Report = null! });
        Assert.Equal(1000, audit.Report.Checked);
        Assert.Equal("fib@card-1", Assert.Single(audit.Report.Findings).Target);
    }

    /// <summary>Serializes with the silo's grain storage serializer, renames the assembly as the earlier build wrote it, reads it back.</summary>
    private T ReadAsEarlierBuildWroteIt<T>(T state)
    {
        var serializer = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainStorageSerializer>();
        var json = serializer.Serialize(state).ToString();
        Assert.Contains(Contracts, json, StringComparison.Ordinal);

        return serializer.Deserialize<T>(BinaryData.FromString(json.Replace(Contracts, EarlierAssembly, StringComparison.Ordinal)))!;
    }
}
