using Redundancy.Orleans.Bench.Harness;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;

namespace Redundancy.Orleans.Bench.Scenarios;

/// <summary>
/// Card kill (SIGKILL) to every process of the card ready on the spare, with the phases the chassis manager
/// recorded, and re-protection time of the processes whose replica was on the killed card.
/// </summary>
internal static class CardKillScenario
{
    public static async Task RunAsync(int processesOnCard, int routes, int repetitions, Results results)
    {
        Console.WriteLine($"Card kill: {processesOnCard} processes of {routes} routes on the card, {repetitions} kills");
        var table = new List<string>();
        var index = 0;
        for (var i = 0; i < processesOnCard; i++)
        {
            table.AddRange(BenchChassis.ProcessArgs(index++, $"k{i}", 2));
        }

        foreach (var (name, slot) in new[] { ("w1a", 1), ("w1b", 1), ("w3a", 3), ("w3b", 3) })
        {
            table.AddRange(BenchChassis.ProcessArgs(index++, name, slot));
        }

        await using var chassis = await BenchChassis.StartAsync(slots: 3, spares: repetitions, table);
        var status = await chassis.Api.GetChassisAsync();
        var n = 0;
        foreach (var p in status.Processes)
        {
            foreach (var chunk in WorkloadGenerator.Routes(n++ % 150, routes).Chunk(1000))
            {
                await chassis.Grains.GetGrain<IRoutingProcess>(p.Name).Update(new RouteUpdate { Announce = chunk });
            }
        }

        var phases = new Dictionary<string, List<double>> { ["total"] = [], ["detect"] = [], ["place"] = [], ["restore"] = [], ["audit"] = [] };
        var reprotect = new List<double>();
        for (var rep = 0; rep < repetitions; rep++)
        {
            var before = await WaitProtectedAsync(chassis.Api);
            var victim = before.Processes.First(p => p.Name == "k0").CardId!; // the card that runs the measured processes
            var exposed = before.Processes.Where(p => p.Slot != 2 && p.Replicas.Any(r => r.CardId == victim)).Select(p => p.Name).ToList();
            var lastEvent = (await chassis.Api.GetEventsAsync()).Select(e => e.Id).DefaultIfEmpty(0).Max();
            await chassis.Api.KillCardAsync(victim);
            var events = await chassis.Api.WaitForEventAsync(lastEvent, e => e.Kind == ChassisEventKind.CardFailover && e.CardId == victim && e.ReadyAt is not null, TimeSpan.FromSeconds(60))
                ?? throw new TimeoutException($"The failover of {victim} did not complete within 60 s.");
            phases["total"].Add(events.TotalMs ?? double.NaN);
            phases["detect"].Add(events.DetectMs ?? double.NaN);
            phases["place"].Add(events.PlaceMs ?? double.NaN);
            phases["restore"].Add(events.RestoreMs ?? double.NaN);
            phases["audit"].Add(events.AuditMs ?? double.NaN);
            var after = await WaitProtectedAsync(chassis.Api);
            reprotect.AddRange(after.Processes.Where(p => exposed.Contains(p.Name) && p.LastUnprotectedMs is not null).Select(p => p.LastUnprotectedMs!.Value));
        }

        foreach (var (phase, samples) in phases)
        {
            results.Add("card kill to ready", phase, $"{processesOnCard} x {routes}", "ms", samples);
        }

        if (reprotect.Count > 0)
        {
            results.Add("re-protection", "sync", $"{processesOnCard} x {routes}", "ms", reprotect);
        }
    }

    private static Task<Cards.ChassisStatus> WaitProtectedAsync(ChassisClient api) =>
        api.WaitForAsync(s => s.Processes.All(p => p.State == ProcessState.Ready && p.Protected && p.Replicas.All(r => r.InSync)), TimeSpan.FromSeconds(60), "every process ready and protected");
}
