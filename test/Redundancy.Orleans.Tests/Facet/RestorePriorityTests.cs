using Orleans.TestingHost;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Configuration;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Facet;

/// <summary>
/// A card restores its processes in restore-priority order (the table's, else the kind's), one at a time with
/// <c>MaxConcurrentRestores = 1</c>: the order in which they report ready on the card is the priority order, not the
/// table's (slot, then name).
/// </summary>
[Trait("Category", TestCategories.Cluster)]
public sealed class RestorePriorityTests
{
    [Fact]
    public async Task CardStart_RestoresItsProcessesByPriority_ThenTableOrder()
    {
        using var watch = DiagnosticWatch.Start(FailoverDiagnostics.ListenerName);
        var index = 0;
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            var card = Interlocked.Increment(ref index) == 1 ? new CardIdentity("control", CardRoles.Control) : new CardIdentity("prio-card", CardRoles.Line, 1);
            silo.AddProcessRedundancy(card, o =>
            {
                o.MaxConcurrentRestores = 1;
                o.Processes =
                [
                    // Unprotected (one line card, no room for a replica): restore order is all this test is about.
                    new ProcessDefinition { Name = "prio-a-late", Slot = 1, Kind = CounterProcessGrain.Kind, ReplicaCount = 0, RestorePriority = 500 },
                    new ProcessDefinition { Name = "prio-b-kind", Slot = 1, Kind = CounterProcessGrain.Kind, ReplicaCount = 0 },
                    new ProcessDefinition { Name = "prio-c-first", Slot = 1, Kind = CounterProcessGrain.Kind, ReplicaCount = 0, RestorePriority = 0 },
                    new ProcessDefinition { Name = "prio-d-kind", Slot = 1, Kind = CounterProcessGrain.Kind, ReplicaCount = 0 },
                ];
            });
            silo.AddControlSiloMemoryStorage();
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        // The table (and the names' order) says a-late, b-kind, c-first, d-kind; the priorities say c-first (0), b-kind
        // and d-kind (the kind's 20, in the table's order), a-late (500).
        foreach (var name in new[] { "prio-a-late", "prio-b-kind", "prio-c-first", "prio-d-kind" })
        {
            await watch.WaitAsync<ProcessReadyReport>(FailoverDiagnostics.ProcessReady, r => r.CardId == "prio-card" && r.Process == name,
                TimeSpan.FromSeconds(60), $"{name} ready on prio-card");
        }

        var order = watch.Seen<ProcessReadyReport>(FailoverDiagnostics.ProcessReady, r => r.CardId == "prio-card" && r.Process.StartsWith("prio-", StringComparison.Ordinal))
            .Select(r => r.Process).Distinct().ToList();
        Assert.Equal(["prio-c-first", "prio-b-kind", "prio-d-kind", "prio-a-late"], order);
    }
}
