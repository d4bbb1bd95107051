using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.ControlPlane;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.History;
using Redundancy.Orleans.Testing;
using Xunit;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Tests.History;

/// <summary>
/// One silo with a grain storage under the control-plane name that keeps state serialized with the silo's grain storage
/// serializer and rebuilds it on every read (as an external store does): the history grains alone.
/// </summary>
public sealed class HistoryClusterFixture : IAsyncLifetime
{
    public const int Retention = 1000;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<IGrainStorage>(ControlPlaneStorage.Name, (sp, _) => ActivatorUtilities.CreateInstance<SerializingGrainStorage>(sp));
            silo.Services.Configure<RedundancyOptions>(o => (o.EventRetention, o.AuditRetention) = (Retention, 10));
            // The audit pump of a card, as AddProcessRedundancy registers it.
            silo.Services.AddSingleton(new CardIdentity("card-7", Cards.CardRoles.Line, 7));
            silo.Services.AddSingleton<ChassisHistory>();
            silo.Services.AddSingleton<AuditJournal>();
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, AuditPump>();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>One history cluster for every history test class: its audit pump drains its silo's audit journal.</summary>
[CollectionDefinition(Name)]
public sealed class HistoryCollection : ICollectionFixture<HistoryClusterFixture>
{
    public const string Name = "history grains (in-process)";
}

/// <summary>Grain state kept in memory the way an external store keeps it: serialized, and rebuilt on every read.</summary>
[Trait("Category", TestCategories.Cluster)]
internal sealed class SerializingGrainStorage(IGrainStorageSerializer serializer) : IGrainStorage
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, BinaryData> _store = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_store.TryGetValue($"{stateName}/{grainId}", out var data))
        {
            grainState.State = serializer.Deserialize<T>(data);
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _store[$"{stateName}/{grainId}"] = serializer.Serialize(grainState.State);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _store.TryRemove($"{stateName}/{grainId}", out _);
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}

/// <summary>The durable event history: paging across storage pages, retention, updates in place, and reads after every grain was deactivated.</summary>
[Collection(HistoryCollection.Name)]
[Trait("Category", TestCategories.Cluster)]
public sealed class EventHistoryTests(HistoryClusterFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Record_ManyEvents_KeepsTheNewestWithinRetention_PagesAcrossStoragePages_AndSurvivesDeactivation()
    {
        var history = fixture.Cluster.Client.GetGrain<IEventHistoryGrain>("events-retention");
        const int total = 1500;
        foreach (var batch in Enumerable.Range(1, total).Select(Event).Chunk(200))
        {
            await history.Record(batch);
        }

        var all = await history.Read(0, 10_000);
        Assert.Equal(HistoryClusterFixture.Retention, all.Count);
        Assert.Equal(Enumerable.Range(total - HistoryClusterFixture.Retention + 1, HistoryClusterFixture.Retention).Select(i => (long)i), all.Select(e => e.Id));

        // A page of 100 after 700 crosses the storage page boundary at 768.
        Assert.Equal(Enumerable.Range(701, 100).Select(i => (long)i), (await history.Read(700, 100)).Select(e => e.Id));
        Assert.Empty(await history.Read(total, 10));

        // Paging through the whole history with 'after' and 'limit' gives every retained event once, in order.
        var paged = new List<ChassisEvent>();
        for (long after = 0; ; after = paged[^1].Id)
        {
            var page = await history.Read(after, 97);
            Assert.True(page.Count <= 97);
            if (page.Count == 0)
            {
                break;
            }

            paged.AddRange(page);
        }

        Assert.Equal(all.Select(e => e.Id), paged.Select(e => e.Id));

        // Every grain deactivated: the history is read back from storage.
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(all.Select(e => (e.Id, e.Message, string.Join(",", e.ReadyProcesses))), (await history.Read(0, 10_000)).Select(e => (e.Id, e.Message, string.Join(",", e.ReadyProcesses))));
    }

    [Fact]
    public async Task Record_AnEventAgain_UpdatesItInPlace_ButNeverReplacesItWithAnotherEventOfTheSameId()
    {
        var history = fixture.Cluster.Client.GetGrain<IEventHistoryGrain>("events-update");
        await history.Record([Event(1), Event(2)]);

        // The failover completes: the same event, now with its timings.
        var completed = Event(2) with { ReadyAt = T0.AddSeconds(3), TotalMs = 1200, ProcessesReady = 2, ReadyProcesses = ["bgp-2", "ospf-2"] };
        await history.Record([completed]);
        var stored = (await history.Read(1, 10)).Single();
        Assert.Equal((completed.ReadyAt, completed.TotalMs, 2), (stored.ReadyAt, stored.TotalMs, stored.ReadyProcesses.Count));

        // A chassis manager that lost its state numbers from 1 again: a different event under a recorded id is refused.
        await history.Record([Event(1) with { CardId = "card-9", DetectedAt = T0.AddHours(1) }]);
        Assert.Equal(Event(1).CardId, (await history.Read(0, 1)).Single().CardId);
    }

    private static ChassisEvent Event(int id) => new()
    {
        Id = id,
        Kind = ChassisEventKind.CardFailover,
        CardId = $"card-{(id % 3) + 1}",
        Slot = (id % 3) + 1,
        NewCardId = "spare-1",
        DetectedAt = T0.AddSeconds(id),
        Message = $"event {id}",
        ReadyProcesses = [$"bgp-{id}", $"ospf-{id}"],
    };
}
