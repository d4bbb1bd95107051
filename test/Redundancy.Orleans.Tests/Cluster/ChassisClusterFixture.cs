using Redundancy.Orleans.Testing;
using System.Collections.Concurrent;
using Orleans.TestingHost;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.Hosting;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Tests.Cluster;

/// <summary>
/// An in-process chassis: three line cards (slots 1..3) and one spare. Each test uses its own processes,
/// so tests share the cluster without disturbing each other. Crash tests here inject process faults only;
/// card failures need real processes (see MultiProcess).
/// </summary>
public abstract class ChassisClusterFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> _siloIndex = new();
    private int _next;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    protected abstract void Configure(RedundancyOptions options);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(4);
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            var index = _siloIndex.GetOrAdd(silo.SiloName, _ => Interlocked.Increment(ref _next) - 1);
            var card = index < 3 ? new CardIdentity($"card-{index + 1}", CardRoles.Line, index + 1) : new CardIdentity($"spare-{index - 2}", CardRoles.Spare);
            siloBuilder.AddProcessRedundancy(card, o =>
            {
                o.KeepAliveInterval = TimeSpan.FromMilliseconds(500);
                o.MaxRestarts = 3;
                Configure(o);
            });
            siloBuilder.AddRoutingApplication();

            // The control plane's records: these silos never crash, so Orleans' memory storage serves (cards use control-silo memory or Redis).
            siloBuilder.AddMemoryGrainStorage(Orleans.ControlPlane.ControlPlaneStorage.Name);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public IRoutingProcess Process(string name) => Client.GetGrain<IRoutingProcess>(name);

    /// <summary>Waits until the process is ready with an epoch above <paramref name="afterEpoch"/>.</summary>
    public Task<ProcessStatus> WaitReadyAsync(string name, long afterEpoch = 0, string phase = "ready") =>
        Eventually.WaitAsync(
            () => Process(name).AsReference<IRedundantProcess>().GetStatus(),
            s => s.State == ProcessState.Ready && s.Epoch > afterEpoch,
            TimeSpan.FromSeconds(30),
            $"process '{name}' {phase} (state Ready, epoch > {afterEpoch})",
            s => $"state {s.State}, epoch {s.Epoch}, seq {s.Seq}, card {s.CardId}, reason {s.Reason}");

    protected static ProcessDefinition Define(string name, int slot, params string[] peers) =>
        new() { Name = name, Slot = slot, Kind = RoutingSiloBuilderExtensions.Kind, Peers = [.. peers] };
}

/// <summary>Synchronous replication, k = 1; copies stream in the smallest chunks, so every restore here reads many.</summary>
public sealed class SynchronousChassisFixture : ChassisClusterFixture
{
    public const int ChunkBytes = Replication.SnapshotChunks.MinChunkBytes;

    protected override void Configure(RedundancyOptions options)
    {
        options.SnapshotChunkBytes = ChunkBytes;
        options.Processes = [.. Processes];
    }

    private static readonly ProcessDefinition[] Processes =
    [
        Define("bgp-1", 1, "bgp-2", "bgp-3"),
        Define("bgp-2", 2, "bgp-1", "bgp-3"),
        Define("bgp-3", 3, "bgp-1", "bgp-2"),
        Define("ospf-1", 1),
        Define("ospf-2", 2),
        Define("ospf-3", 3),
        Define("victim-2", 2),
        Define("fence-3", 3),
        Define("input-1", 1),
        Define("burst-2", 2),
        Define("release-3", 3),
        Define("adv-1", 1, "adv-2"),
        Define("adv-2", 2, "adv-1"),
        Define("stream-1", 1),
        Define("stream-2", 2),
        Define("stream-3", 3),
    ];
}

/// <summary>Periodic replication whose flush never comes during a test: every change is in the gap.</summary>
public sealed class PeriodicChassisFixture : ChassisClusterFixture
{
    protected override void Configure(RedundancyOptions options)
    {
        options.Mode = ReplicationMode.Periodic;
        options.FlushInterval = TimeSpan.FromHours(1);
        options.Processes = [Define("gap-1", 1, "gap-2"), Define("gap-2", 2, "gap-1")];
    }
}

[CollectionDefinition(Name)]
public sealed class SynchronousChassisCollection : ICollectionFixture<SynchronousChassisFixture>
{
    public const string Name = "synchronous chassis";
}

[CollectionDefinition(Name)]
public sealed class PeriodicChassisCollection : ICollectionFixture<PeriodicChassisFixture>
{
    public const string Name = "periodic chassis";
}

/// <summary>
/// A chassis whose card managers never tick during a test (keep-alive 50 min): a card learns a slot map only when
/// membership changes or when the chassis manager pushes it.
/// </summary>
public sealed class NoTickChassisFixture : ChassisClusterFixture
{
    protected override void Configure(RedundancyOptions options)
    {
        options.KeepAliveInterval = TimeSpan.FromMinutes(50);
        options.RestartWindow = TimeSpan.FromHours(1);
        options.Processes = [Define("push-1", 1), Define("push-2", 2)];
    }
}

/// <summary>A chassis of its own for the chassis manager's restore tests, which crash the chassis manager.</summary>
public sealed class ChassisManagerFixture : ChassisClusterFixture
{
    protected override void Configure(RedundancyOptions options) => options.Processes = [Define("cm-1", 1), Define("cm-2", 2)];
}
