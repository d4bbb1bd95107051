using System.Collections.Concurrent;
using Orleans.Configuration;
using Orleans.TestingHost;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication.Ledger;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Redundancy.Orleans.Upgrade;
using Xunit;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Tests.Facet;

/// <summary>
/// A chassis running only the test's own <see cref="CounterProcessGrain"/>: a control silo (which keeps the control plane's
/// records, as in the embedded chassis, so that killing a line card cannot lose them), three line cards and a spare, with
/// quick membership so that a card kill is decided within seconds.
/// </summary>
public sealed class CounterChassisFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> _siloIndex = new();
    private int _next;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(5);
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            var index = _siloIndex.GetOrAdd(silo.SiloName, _ => Interlocked.Increment(ref _next) - 1);
            var card = index switch
            {
                0 => new CardIdentity("control", CardRoles.Control),
                < 4 => new CardIdentity($"card-{index}", CardRoles.Line, index),
                _ => new CardIdentity("spare-1", CardRoles.Spare),
            };
            siloBuilder.AddProcessRedundancy(card, o =>
            {
                o.KeepAliveInterval = TimeSpan.FromMilliseconds(500);
                o.RestoreWait = TimeSpan.FromSeconds(2);
                o.RestoreRetryInterval = TimeSpan.FromMilliseconds(500);
                o.Processes =
                [
                    new ProcessDefinition { Name = "crash-1", Slot = 1, Kind = CounterProcessGrain.Kind },
                    new ProcessDefinition { Name = "kill-2", Slot = 2, Kind = CounterProcessGrain.Kind },
                    new ProcessDefinition { Name = "retry-3", Slot = 3, Kind = CounterProcessGrain.Kind },
                    new ProcessDefinition { Name = "verify-1", Slot = 1, Kind = CounterProcessGrain.Kind },
                ];
            });
            siloBuilder.AddControlSiloMemoryStorage();
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public ICounterProcess Counter(string name) => Client.GetGrain<ICounterProcess>(name);

    /// <summary>The silo that is line card <paramref name="cardId"/> (card-N is the silo started after N others).</summary>
    public InProcessSiloHandle SiloOf(string cardId) =>
        Cluster.Silos.Single(s => _siloIndex.TryGetValue(s.Name, out var i) && $"card-{i}" == cardId);

    public Task<ProcessStatus> WaitReadyAsync(string name, long afterEpoch, string phase, Func<ProcessStatus, bool>? and = null) =>
        Eventually.WaitAsync(
            () => Counter(name).AsReference<IRedundantProcess>().GetStatus(),
            s => s is { State: ProcessState.Ready, Protected: true } && s.Epoch > afterEpoch && (and?.Invoke(s) ?? true),
            TimeSpan.FromSeconds(60),
            $"counter '{name}' {phase} (ready, protected, epoch > {afterEpoch})",
            s => $"state {s.State}, protected {s.Protected}, epoch {s.Epoch}, seq {s.Seq}, card {s.CardId}, reason {s.Reason}");
}

/// <summary>
/// A grain type the runtime has never seen becomes redundant with one constructor parameter: the [ReplicatedState]
/// facet restores it exactly after a process crash (same card) and after the kill of its card (on the spare).
/// </summary>
[Trait("Category", TestCategories.Cluster)]
public sealed class ReplicatedStateFacetTests(CounterChassisFixture chassis) : IClassFixture<CounterChassisFixture>
{
    [Fact]
    public async Task NewGrainType_RestoredExactlyAfterACrash()
    {
        var counter = chassis.Counter("crash-1");
        var before = await chassis.WaitReadyAsync("crash-1", 0, "ready");
        var expected = await AddManyAsync(counter, 20);

        await counter.AsReference<IRedundantProcess>().Crash();
        var after = await chassis.WaitReadyAsync("crash-1", before.Epoch, "restored after the crash");

        Assert.Equal(before.CardId, after.CardId);
        Assert.Equal(20, after.Seq);
        Assert.Equal(expected, await counter.Read());
        Assert.Equal(expected["k1"] + 5, await counter.Add("k1", 5));
    }

    [Fact]
    public async Task NewGrainType_RestoredExactlyOnTheSpareAfterItsCardIsKilled()
    {
        var counter = chassis.Counter("kill-2");
        var before = await chassis.WaitReadyAsync("kill-2", 0, "ready");
        Assert.Equal("card-2", before.CardId);
        var expected = await AddManyAsync(counter, 50);

        using var failover = DiagnosticWatch.Start(FailoverDiagnostics.ListenerName);
        await chassis.Cluster.KillSiloAsync(chassis.SiloOf("card-2"));

        // The failover's steps, as the runtime reports them: slot 2 moved to the spare, the process ready there, the event closed.
        var started = await failover.WaitAsync<ChassisEvent>(FailoverDiagnostics.FailoverStarted, e => e.Slot == 2, TimeSpan.FromSeconds(60), "slot 2 moved off card-2");
        Assert.Equal(("card-2", "spare-1"), (started.CardId, started.NewCardId));
        var ready = await failover.WaitAsync<ProcessReadyReport>(FailoverDiagnostics.ProcessReady, r => r.Process == "kill-2" && r.CardId == "spare-1", TimeSpan.FromSeconds(60), "kill-2 ready on spare-1");
        Assert.Equal(2, ready.Slot);
        var completed = await failover.WaitAsync<ChassisEvent>(FailoverDiagnostics.FailoverCompleted, e => e.Id == started.Id, TimeSpan.FromSeconds(60), "the failover of slot 2 completed");
        Assert.Contains("kill-2", completed.ReadyProcesses);
        var after = await chassis.WaitReadyAsync("kill-2", before.Epoch, "restored on the spare after card-2 was killed", s => s.CardId == "spare-1");

        Assert.Equal(50, after.Seq);
        Assert.Equal(expected, await counter.Read());
    }

    [Fact]
    public async Task NewGrainType_UnavailableWhileItsInSyncCopyIsMissing_RefusesCalls_ThenRestoresWhenTheCopyIsBack()
    {
        var counter = chassis.Counter("retry-3");
        var before = await chassis.WaitReadyAsync("retry-3", 0, "ready");
        var expected = await AddManyAsync(counter, 10);

        // The ledger names a copy no replica holds (as when the card holding it is unreachable): after a crash the process
        // cannot restore, and must neither start empty nor serve.
        var ledger = chassis.Client.GetGrain<IProcessLedger>("retry-3");
        var record = await ledger.Read();
        var lost = record.InSync.Members.Select(m => m with { CopyId = "unreachable-copy" }).ToArray();
        Assert.Equal(LedgerOutcome.Accepted, (await ledger.ChangeInSync(record.Ballot, record.InSync.Version, lost, record.InSync.Seq)).Outcome);
        await counter.AsReference<IRedundantProcess>().Crash();
        var management = counter.AsReference<IRedundantProcess>();
        await Eventually.WaitAsync(() => management.GetStatus(), s => s.State == ProcessState.Unavailable, TimeSpan.FromSeconds(60),
            "retry-3 unavailable while its in-sync copy is missing", s => $"state {s.State}, epoch {s.Epoch}, reason {s.Reason}");
        var refused = await Assert.ThrowsAsync<RedundancyException>(() => counter.Add("k1", 1000));
        Assert.Equal(RedundancyErrorKind.NotServing, refused.Kind);

        // The copy is reachable again: the unavailable process's own retry restores it, exactly, with nothing refused applied.
        var now = await ledger.Read();
        Assert.Equal(LedgerOutcome.Accepted, (await ledger.ChangeInSync(now.Ballot, now.InSync.Version, record.InSync.Members, record.InSync.Seq)).Outcome);
        var after = await chassis.WaitReadyAsync("retry-3", before.Epoch, "restored by its retry once the copy is back");
        Assert.Equal(10, after.Seq);
        Assert.Equal(expected, await counter.Read());
    }

    [Fact]
    public async Task NewGrainType_ShadowRestoredOnAnotherCard_MatchesThePrimary()
    {
        // Upgrade verification knows nothing of counters: it restores the copy a restore would take on the card it runs on,
        // decodes it with that card's build and compares the state's fingerprint with the primary's at the same seq.
        var counter = chassis.Counter("verify-1");
        var before = await chassis.WaitReadyAsync("verify-1", 0, "ready");
        Assert.Equal("card-1", before.CardId);
        var expected = await AddManyAsync(counter, 15);
        var probe = chassis.Client.GetGrain<IShadowRestoreProbe>("card-3");

        var report = await probe.Restore("verify-1");

        Assert.Null(report.Error);
        Assert.Equal(("verify-1", "card-3", true, true), (report.Process, report.CardId, report.Ok, report.MatchesPrimary));
        Assert.Equal((15L, expected.Count), (report.Seq, report.Entries));
        var build = await probe.GetBuild();
        Assert.Equal(("card-3", "1.0.0", 0, 0), (build.CardId, build.Version, build.SchemaMin, build.SchemaMax));
        var primary = await counter.AsReference<IRedundantProcess>().GetFingerprint();
        Assert.Equal((15L, "k0=24;k1=28;k2=32;k3=36"), (primary.Seq, primary.Fingerprint));
    }

    private static async Task<Dictionary<string, long>> AddManyAsync(ICounterProcess counter, int count)
    {
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 1; i <= count; i++)
        {
            var key = $"k{i % 4}";
            expected[key] = expected.GetValueOrDefault(key) + i;
            Assert.Equal(expected[key], await counter.Add(key, i));
        }

        Assert.Equal(expected, await counter.Read());
        return expected;
    }
}
