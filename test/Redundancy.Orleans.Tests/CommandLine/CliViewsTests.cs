using System.Text.Json;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Cli.Output;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Management;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.CommandLine;

/// <summary>
/// The human renderings of the API's documents that carry the protocol's fields: an acknowledgement says how well the
/// batch is protected, a process shows its in-sync set and durability, the audit history and the metrics targets are
/// tables. The documents are the API's own JSON (serialized as the API does), so a renamed field fails here.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class CliViewsTests
{
    private static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value, RedundancyJson.Options);

    [Theory]
    [InlineData(Protection.Protected, 2, "bgp-1: acknowledged at seq 42, epoch 7 (3 announced, 1 withdrawn); protected: held by 2 replicas on other cards, synchronous mode")]
    [InlineData(Protection.Protected, 1, "protected: held by 1 replica on other cards, synchronous mode")]
    [InlineData(Protection.Unprotected, 0, "UNPROTECTED: held by the primary alone; a fault of the primary before re-protection loses it, synchronous mode")]
    [InlineData(Protection.UnprotectedUntilFlushed, 0, "unprotected until the next flush (by ")]
    public void Acknowledgement_SaysHowWellTheBatchIsProtected(Protection protection, int replicas, string expected)
    {
        var ack = new UpdateResult
        {
            Seq = 42, Epoch = 7, Announced = 3, Withdrawn = 1, Mode = "Synchronous", Replicas = replicas, Protection = protection,
            Protected = protection == Protection.Protected, FlushDeadline = protection == Protection.UnprotectedUntilFlushed ? DateTimeOffset.UnixEpoch : null,
        };

        Assert.Contains(expected, Views.Acknowledgement("bgp-1", Json(ack)), StringComparison.Ordinal);
    }

    [Fact]
    public void Process_ShowsItsProtection()
    {
        var status = new ProcessStatus
        {
            Name = "bgp-1", Slot = 1, CardId = "card-1", State = ProcessState.Ready, Protected = false, InSyncReplicas = 0, MinInSyncReplicas = 1,
            InSyncVersion = 9, ProtectedSeq = 40, Durability = "RefuseUnprotected", TotalUnprotectedMs = 1234.5, LastUnprotectedMs = 200,
            MissingCopies = "replica on card-2 dead",
        };

        var text = Views.Process(Json(status));

        Assert.Contains("in-sync replicas  0 of 1 required (in-sync set v9)", text, StringComparison.Ordinal);
        Assert.Contains("protected up to   seq 40", text, StringComparison.Ordinal);
        Assert.Contains("durability        RefuseUnprotected", text, StringComparison.Ordinal);
        Assert.Contains("unprotected       1234.5 ms in total, last period 200.0 ms", text, StringComparison.Ordinal);
        Assert.Contains("missing copies    replica on card-2 dead", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Audits_AndMetricsTargets_AreTables()
    {
        var audits = Views.Audits(Json(new[]
        {
            new AuditRecord { Id = 3, Process = "bgp-1", CardId = "spare-1", RestoreMs = 12.5, Report = new AuditReport { Checked = 50, Missing = 2, Repaired = 2, RestoredSeq = 10, AuditedSeq = 11 } },
        }));
        var targets = Views.MetricsTargets(Json(new[]
        {
            new MetricsTarget
            {
                Targets = ["127.0.0.1:9464"],
                Labels = new Dictionary<string, string> { ["__scheme__"] = "http", ["__metrics_path__"] = "/metrics", ["redundancy_card"] = "card-1", ["redundancy_card_start_role"] = "line" },
            },
        }));

        Assert.Matches(@"3\s+\S+\s+spare-1\s+12\.5 ms\s+repaired 2\s+50\s+2\s+0\s+0\s+10/11", audits);
        Assert.Matches(@"card-1\s+line\s+http://127\.0\.0\.1:9464/metrics", targets);
    }
}
