using System.Diagnostics;
using System.Globalization;
using Redundancy.Orleans.Bench.Harness;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Testing;

namespace Redundancy.Orleans.Bench.Scenarios;

/// <summary>
/// Scale: many processes across 4 line cards (k = 1): time until all are ready, load, resident memory per
/// card, process crash to ready under that population, and one card kill with a quarter of them on it.
/// </summary>
internal static class ScaleScenario
{
    public static async Task RunAsync(int processes, int routesEach, int crashes, Results results)
    {
        Console.WriteLine($"Scale: {processes} processes of {routesEach} routes across 4 cards");
        var table = Enumerable.Range(0, processes).SelectMany(i => EmbeddedChassisProcess.ProcessArgs(i, $"s{i}", (i % 4) + 1)).ToList();
        var label = $"{processes} processes";
        var start = Stopwatch.StartNew();
        await using var chassis = await BenchChassis.StartAsync(slots: 4, spares: 1, table);
        results.Add("scale", "sync", $"{label}: start to all ready", "ms", [start.Elapsed.TotalMilliseconds]);

        var load = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, processes), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await chassis.Grains.GetGrain<IRoutingProcess>($"s{i}").Update(new RouteUpdate { Announce = WorkloadGenerator.Routes(i % 150, routesEach, (i / 150) * routesEach) }));
        results.Add("scale", "sync", $"{label}: load", "routes/s", [processes * routesEach / load.Elapsed.TotalSeconds]);

        var status = await chassis.Api.WaitForAsync(s => s.Processes.All(p => p.State == ProcessState.Ready && p.Protected), TimeSpan.FromMinutes(3), "every process protected");
        var rss = status.Cards.Where(c => c.Alive && c.ProcessId is not null && c.Role != Cards.CardRoles.Control).Select(c => ResidentMiB(c.ProcessId!.Value)).Where(m => m > 0).ToList();
        results.Add("scale", "sync", $"{label}: RSS per card", "MiB", rss);

        var random = new Random(7);
        var crash = new List<double>();
        for (var i = 0; i < crashes; i++)
        {
            var process = chassis.Grains.GetGrain<IRoutingProcess>($"s{random.Next(processes)}");
            var sw = Stopwatch.StartNew();
            await process.AsReference<IRedundantProcess>().Crash();
            await ChassisCalls.PingUntilRestoredAsync(process.AsReference<IRedundantProcess>());

            crash.Add(sw.Elapsed.TotalMilliseconds);
        }

        results.Add("scale", "sync", $"{label}: crash to ready", "ms", crash);

        var victim = status.Cards.Single(c => c.Alive && c.Slot == 2).CardId;
        await chassis.Api.KillCardAsync(victim);
        var done = await chassis.Api.WaitForEventAsync(0, e => e.Kind == ChassisEventKind.CardFailover && e.CardId == victim && e.ReadyAt is not null, TimeSpan.FromMinutes(3));

        if (done is null)
        {
            results.Notes.Add($"Scale: the failover of {victim} ({processes / 4} processes) did not complete within 3 minutes.");
            return;
        }

        results.Add("scale", "sync", string.Create(CultureInfo.InvariantCulture, $"{label}: kill card with {done.Processes}"), "ms", [done.TotalMs ?? double.NaN]);
    }

    private static double ResidentMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
