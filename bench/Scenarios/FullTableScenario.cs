using System.Diagnostics;
using Redundancy.Orleans.Bench.Harness;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.Workload;
using Redundancy.Orleans.Testing;

namespace Redundancy.Orleans.Bench.Scenarios;

/// <summary>
/// A synthetic full Internet table in one synchronously replicated process, on a chassis of its own (its memory must not
/// weigh on the other scenarios): the time to load it through the process's interface, then process crash to ready
/// (restored and audited) as a caller sees it, and the restore inside the process.
/// </summary>
internal static class FullTableScenario
{
    private const string Name = "sync-table";

    public static async Task RunAsync(int prefixes, int repetitions, Results results)
    {
        var routes = SyntheticTable.Routes(seed: 1, prefixes).ToList();
        var label = $"synthetic table, {prefixes} prefixes ({routes.Count} paths)";
        Console.WriteLine($"Full table: {label}, {repetitions} crashes");
        var table = EmbeddedChassisProcess.ProcessArgs(0, Name, 1, Variant.Sync.Kind, Variant.Sync.Replicas, Variant.Sync.Mode).ToList();
        await using var chassis = await BenchChassis.StartAsync(slots: 3, spares: 1, table, []);

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
        var bytes = LoopbackLimit.SnapshotBytes(routes);
        results.Add("restore in process", LoopbackLimit.Variant, label, "ms", await LoopbackLimit.MeasureAsync(bytes, repetitions));
        results.Notes.Add($"The limit of the full table copies {bytes} bytes (the snapshot as a restore receives it) between two processes over loopback.");
        results.Ratios("restore in process", LoopbackLimit.Variant, higherIsBetter: true); // how many times the limit
    }
}
