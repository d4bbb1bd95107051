using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static Redundancy.Orleans.Tests.MultiProcess.ChassisChecks;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>
/// A card fault at any moment must not stop the embedded chassis: here, while it loads its start-up workload (the
/// management API already answers, the load is under way), the card holding the first processes is killed for real.
/// </summary>
[Collection(AloneCollection.Name)]
[Trait("Category", TestCategories.MultiProcess)]
public sealed class StartupTests(ITestOutputHelper output)
{
    // 60 batches per process: the process being loaded when the test looks is still being loaded when its card dies.
    private const int Routes = 60_000;

    [Fact]
    public async Task CardKilledDuringWorkloadLoad_ChassisStaysUpAndFinishesLoading()
    {
        await using var chassis = EmbeddedChassisProcess.Launch(slots: 3, spares: 1, replacementCards: 2, $"--Chassis:RoutesPerProcess={Routes}");
        using var logs = new ChassisLogs(output, chassis);
        var api = chassis.Client;

        // The load goes process by process in process-table order (the status's order): kill the card of the process
        // being loaded when the test looks, so the kill hits its batches (not one already loaded, as a fixed choice did
        // on a fast machine).
        var loading = await api.WaitForAsync(s => s.Startup is { State: not StartupState.Starting }, TimeSpan.FromSeconds(120), "start-up to begin loading its workload");
        Assert.True(loading.Startup!.State == StartupState.Loading, $"start-up was already {loading.Startup.State} when first seen: the race window was missed");
        var current = loading.Processes[Math.Min(loading.Startup.ProcessesLoaded, loading.Processes.Count - 1)];
        var victim = current.CardId ?? throw new InvalidOperationException($"{current.Name} has no card");
        output.WriteLine($"killing {victim}: {current.Name} is being loaded ({loading.Startup.ProcessesLoaded} of {loading.Processes.Count} processes loaded)");
        await api.KillCardAsync(victim);

        var done = await api.WaitForAsync(s => s.Startup is { State: StartupState.Complete or StartupState.Incomplete }, TimeSpan.FromSeconds(180),
            $"start-up to finish after {victim} was killed during the load");
        Assert.False(chassis.HasExited, "the chassis exited");
        var startup = done.Startup!;
        Assert.True(startup.State == StartupState.Complete, $"start-up {startup.State}: {string.Join("; ", startup.Problems)}");
        Assert.True(startup.Retries > 0, $"no batch was retried: the kill of {victim} did not hit the load, the race was not reproduced");
        Assert.Equal((done.Processes.Count, (long)Routes * done.Processes.Count), (startup.ProcessesLoaded, startup.EntriesLoaded));
        Assert.NotNull(startup.CompletedAt);

        // Every process holds the whole workload, on a live card (slot 1's on the spare).
        var after = await WaitAllReadyAfterAsync(api, loading, [victim], $"every process ready after {victim} was killed");
        Assert.All(after.Processes, p => Assert.Equal(Routes, p.StateSize));
        await Eventually.WaitAsync(() => Task.FromResult(chassis.Output), o => o.Contains("Press Ctrl+C", StringComparison.Ordinal), FailoverTimeout,
            "the chassis to print its status after the load", o => Texts.Tail(o, 2000));
        Assert.Contains("batch(es) retried while their process restarted or moved", chassis.Output);
        Assert.False(chassis.HasExited, "the chassis exited");
    }

    [Fact]
    public async Task TableWorkload_EveryProcessHoldsItsOwnSyntheticTable()
    {
        const int prefixes = 30_000;
        const int seed = 40;
        await using var chassis = EmbeddedChassisProcess.Launch(slots: 3, spares: 1, replacementCards: 0,
            "--Chassis:Workload=table", $"--Chassis:RoutesPerProcess={prefixes}", $"--Chassis:WorkloadSeed={seed}");
        using var logs = new ChassisLogs(output, chassis);
        var api = chassis.Client;

        var done = await api.WaitForAsync(s => s.Startup is { State: StartupState.Complete or StartupState.Incomplete }, TimeSpan.FromSeconds(180),
            "start-up to finish loading the synthetic tables");
        var startup = done.Startup!;
        Assert.True(startup.State == StartupState.Complete, $"start-up {startup.State}: {string.Join("; ", startup.Problems)}");

        // Process i (in process-table order) holds the table of seed + i: every path of it, nothing else.
        var tables = done.Processes.Select((p, i) => (p.Name, Routes: Redundancy.Orleans.Routing.Workload.SyntheticTable.Routes(seed + i, prefixes).ToList())).ToList();
        Assert.Equal(tables.Sum(t => (long)t.Routes.Count), startup.EntriesLoaded);
        var ready = await api.WaitForAsync(s => s.Processes.All(p => p.State == ProcessState.Ready), FailoverTimeout, "every process ready after the load");
        Assert.All(tables, t => Assert.Equal(t.Routes.Count, ready.Processes.Single(p => p.Name == t.Name).StateSize));
        var first = await Redundancy.Orleans.Routing.RoutingClientExtensions.GetRoutesAsync(api, tables[0].Name);
        Assert.Equal(TestRoutes.Lines(tables[0].Routes), TestRoutes.Lines(first.Routes.Select(r => r.Route)));
        Assert.Contains($"prefixes of the synthetic table (seed {seed})", chassis.Output, StringComparison.Ordinal);
    }
}
