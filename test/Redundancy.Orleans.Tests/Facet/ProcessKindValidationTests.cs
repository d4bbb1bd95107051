using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Testing;
using Xunit;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Tests.Facet;

/// <summary>A process kind is a grain type: a table entry naming no redundant grain type is refused before the card starts.</summary>
[Trait("Category", TestCategories.Cluster)]
public sealed class ProcessKindValidationTests
{
    [Fact]
    public async Task GrainWithoutSlotPlacementOrKeepAlive_RefusedAtStart()
    {
        using var host = Silo(new ProcessDefinition { Name = "loose-1", Slot = 1, Kind = UnplacedCounterGrain.Kind });

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            $"Redundancy:Processes:0:Kind '{UnplacedCounterGrain.Kind}' of process 'loose-1': grain class '{typeof(UnplacedCounterGrain).FullName}' lacks [SlotPlacement] and [KeepAlive].",
            Assert.Single(refused.Failures));
    }

    [Fact]
    public async Task UnknownKind_RefusedAtStart_NamingTheEntryAndTheKnownKinds()
    {
        using var host = Silo(
            new ProcessDefinition { Name = "count-1", Slot = 1, Kind = CounterProcessGrain.Kind },
            new ProcessDefinition { Name = "typo-1", Slot = 1, Kind = "countr" });

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var error = Assert.Single(refused.Failures);
        Assert.StartsWith("Redundancy:Processes:1:Kind 'countr' of process 'typo-1' is not the grain type of a redundant process grain", error, StringComparison.Ordinal);
        Assert.Contains(CounterProcessGrain.Kind, error, StringComparison.Ordinal);
    }

    private static IHost Silo(params ProcessDefinition[] processes)
    {
        var ports = FreePorts.Range(2);
        return Host.CreateDefaultBuilder()
            .UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(ports, ports + 1);
                silo.AddMemoryGrainStorage(Orleans.ControlPlane.ControlPlaneStorage.Name);
                silo.AddProcessRedundancy(new CardIdentity("card-1", CardRoles.Line, 1), o => o.Processes = [.. processes]);
            })
            .Build();
    }
}
