using System.Diagnostics;
using Redundancy.Orleans.Bench.Harness;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.Workload;
using Redundancy.Orleans.Testing;

namespace Redundancy.Orleans.Bench.Scenarios;

/// <summary>
/// Synthetic full Internet tables in synchronously replicated processes on one card, on a chassis of its own (its memory
/// must not weigh on the other scenarios): the time to load one through the process's interface, process crash to ready
/// (restored and audited) as a caller sees it and the restore inside the process, then card kills: every full-table
/// process of the card ready on the spare, with the phases the chassis manager recorded.
/// </summary>
internal static class FullTableScenario
{
    private const string Name = "sync-table";

    public static async Task RunAsync(int prefixes, int repetitions, int processesOnCard, int kills, Results results)
    {
        var routes = SyntheticTable.Routes(seed: 1, prefixes).ToList();
        var label = $"synthetic table, {prefixes} prefixes ({routes.Count} paths)";
        Console.WriteLine($"Full table: {label}, {repetitions} crashes, then {kills} card kill(s) with {processesOnCard} such processes on the card");
        var table = new List<string>();
        for (var i = 0; i < processesOnCard; i++)
        {
            table.AddRange(EmbeddedChassisProcess.ProcessArgs(i, i == 0 ? Name : $"{Name}-{i}", 1, Variant.Sync.Kind, Variant.Sync.Replicas, Variant.Sync.Mode));
        }

        await using var chassis = await BenchChassis.StartAsync(slots: 3, spares: kills, table, []);

        var load = Stopwatch.StartNew();
        foreach (var chunk in routes.Chunk(RouteValidator.DefaultMaxBatch))
        {
            await Variant.Sync.UpdateAsync(chassis.Grains, Name, new RouteUpdate { Announce = chunk });
        }

        results.Add("load through the process interface", Variant.Sync.Name, label, "s", [load.Elapsed.TotalSeconds]);
        var process = Variant.Sync.Process(chassis.Grains, Name);
        var samples = new List<double>();
        var server = new List<double>();
        for (var rep = 0; rep < repetitions; rep++)
        {
            var before = await process.GetStatus();
            var sw = Stopwatch.StartNew();
            await process.Crash();

            // Ready in a new epoch: a restore whose snapshot did not arrive in time leaves the process unavailable (it
            // answers pings, it does not serve) until its retry restores it; that wait is part of the figure.
            var status = await ChassisCalls.ReadyAfterAsync(process, Name, before.Epoch, TimeSpan.FromMinutes(5));
            samples.Add(sw.Elapsed.TotalMilliseconds);
            if (status.StateSize != routes.Count)
            {
                throw new InvalidOperationException($"{Name}: after crash {rep + 1} the process has {status.StateSize} paths, expected {routes.Count}.");
            }

            server.Add(status.LastRestoreMs ?? double.NaN);
        }

        results.Add("crash to ready", Variant.Sync.Name, label, "ms", samples);
        results.Add("restore in process", Variant.Sync.Name, label, "ms", server);

        // The physical limit: the snapshot's bytes copied between two processes over loopback.
        await LoopbackLimit.AddRowAsync(results, label, routes, repetitions);
        results.Ratios("restore in process", LoopbackLimit.Variant, higherIsBetter: true); // how many times the limit

        await KillCardsAsync(chassis, prefixes, routes.Count, processesOnCard, kills, results);
    }

    /// <summary>The other processes of the card get tables of their own seeds; then the card is killed, <paramref name="kills"/> times.</summary>
    private static async Task KillCardsAsync(BenchChassis chassis, int prefixes, int firstPaths, int processesOnCard, int kills, Results results)
    {
        if (kills == 0)
        {
            return;
        }

        var expected = new Dictionary<string, int> { [Name] = firstPaths };
        for (var i = 1; i < processesOnCard; i++)
        {
            var paths = 0;
            foreach (var chunk in SyntheticTable.Routes(seed: 1 + i, prefixes).Chunk(RouteValidator.DefaultMaxBatch))
            {
                await Variant.Sync.UpdateAsync(chassis.Grains, $"{Name}-{i}", new RouteUpdate { Announce = chunk });
                paths += chunk.Length;
            }

            expected[$"{Name}-{i}"] = paths;
        }

        var size = $"{processesOnCard} x {prefixes} prefixes";
        var phases = new FailoverPhases();
        for (var kill = 1; kill <= kills; kill++)
        {
            var before = await chassis.Api.WaitProtectedAsync(TimeSpan.FromMinutes(5), $"kill {kill}: every full-table process ready and protected");
            var victim = before.Processes.Single(p => p.Name == Name).CardId!;
            var heldManager = before.ChassisManager?.CardId == victim ? ", the chassis manager's card" : "";
            var lastEvent = (await chassis.Api.GetEventsAsync()).Select(e => e.Id).DefaultIfEmpty(0).Max();
            await chassis.Api.KillCardAsync(victim);
            var failover = await chassis.Api.WaitForEventAsync(lastEvent, e => e.Kind == ChassisEventKind.CardFailover && e.CardId == victim && e.ReadyAt is not null, TimeSpan.FromMinutes(5))
                ?? throw new TimeoutException($"Full table, kill {kill}: the failover of {victim} did not complete within 5 minutes.");
            phases.Add(failover);
            var after = await chassis.Api.GetChassisAsync();
            foreach (var (name, paths) in expected)
            {
                var held = after.Processes.Single(p => p.Name == name).StateSize;
                if (held != paths)
                {
                    throw new InvalidOperationException($"Full table, kill {kill} ({victim}): {name} holds {held} paths after the failover, expected {paths}.");
                }
            }

            Console.WriteLine($"    kill {kill} ({victim}{heldManager}): every process ready in {failover.TotalMs:0} ms (detect {failover.DetectMs:0}, restore {failover.RestoreMs:0}, audit {failover.AuditMs:0})");
        }

        foreach (var (phase, samples) in phases.Each())
        {
            results.Add("card kill to ready", phase, size, "ms", samples);
        }
    }
}
