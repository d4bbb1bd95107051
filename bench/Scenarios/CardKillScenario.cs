using Redundancy.Orleans.Bench.Harness;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Testing;

namespace Redundancy.Orleans.Bench.Scenarios;

/// <summary>
/// Card kill (SIGKILL) — or hang (SIGSTOP) — to every process of the card ready on the spare, with the phases the
/// chassis manager recorded, and re-protection time of the processes whose replica was on the failed card. Membership
/// is watched throughout: a card declared dead or suspected that was not failed on purpose is a false death or a false
/// suspicion, the failover's own load mistaken for a fault (issue 12).
/// </summary>
internal static class CardKillScenario
{
    public static async Task RunAsync(int processesOnCard, int routes, int repetitions, Detector detector, Results results, bool hang = false)
    {
        var size = $"{processesOnCard} x {routes}";
        var fault = hang ? "hang" : "kill";
        Console.WriteLine($"Card {fault}: {processesOnCard} processes of {routes} routes on the card, {repetitions} {fault}s, detector '{detector.Name}' ({detector.Description}); {LoadAverage.Describe()}");
        var table = new List<string>();
        var index = 0;
        for (var i = 0; i < processesOnCard; i++)
        {
            table.AddRange(EmbeddedChassisProcess.ProcessArgs(index++, $"k{i}", 2));
        }

        foreach (var (name, slot) in new[] { ("w1a", 1), ("w1b", 1), ("w3a", 3), ("w3b", 3) })
        {
            table.AddRange(EmbeddedChassisProcess.ProcessArgs(index++, name, slot));
        }

        BenchChassis chassis;
        try
        {
            chassis = await BenchChassis.StartAsync(slots: 3, spares: repetitions, table, [.. detector.ChassisArguments]);
        }
        catch (TimeoutException e)
        {
            // A chassis that loses a healthy card while it starts (the old detector on a busy machine) is a result, not a
            // reason to lose the rest of the run.
            Console.WriteLine($"    the chassis did not start: {e.Message}");
            results.Notes.Add($"Card {fault}, {size}, detector '{detector.Name}': the chassis did not start ({e.Message.Split(". Last seen")[0]}); {LoadAverage.Describe()}.");
            results.Add("false suspicions and deaths", $"{detector.Name}: {fault} failovers completed", size, "of " + repetitions, [0]);
            return;
        }

        await using var disposeChassis = chassis;
        var status = await chassis.Api.GetChassisAsync();
        var n = 0;
        foreach (var p in status.Processes)
        {
            foreach (var chunk in WorkloadGenerator.Routes(n++ % 150, routes).Chunk(1000))
            {
                await chassis.Grains.GetGrain<IRoutingProcess>(p.Name).Update(new RouteUpdate { Announce = chunk });
            }
        }

        var phases = new FailoverPhases();
        var reprotect = new List<double>();
        var lost = new List<double>();
        var suspicions = new List<double>();
        var healthyCalls = new List<double>();
        var completed = 0;
        await using var watch = await MembershipWatch.StartAsync(chassis.Grains);
        var seen = await watch.FiguresAsync();
        for (var rep = 0; rep < repetitions; rep++)
        {
            string? failure = null;
            var heldManager = false;
            try
            {
                var before = await chassis.Api.WaitProtectedAsync(TimeSpan.FromSeconds(60), "every process ready and protected");
                var victim = before.Processes.First(p => p.Name == "k0").CardId!; // the card that runs the measured processes
                heldManager = before.ChassisManager?.CardId == victim;
                var exposed = before.Processes.Where(p => p.Slot != 2 && p.Replicas.Any(r => r.CardId == victim)).Select(p => p.Name).ToList();
                var lastEvent = (await chassis.Api.GetEventsAsync()).Select(e => e.Id).DefaultIfEmpty(0).Max();
                watch.Killing(victim);
                ChassisEvent? events;
                await using (var pings = CallLatency.Start(chassis.Grains, ["w1a", "w3a"]))
                {
                    await (hang ? chassis.Api.HangCardAsync(victim) : chassis.Api.KillCardAsync(victim));
                    events = await chassis.Api.WaitForEventAsync(lastEvent, e => e.Kind == ChassisEventKind.CardFailover && e.CardId == victim && e.ReadyAt is not null, TimeSpan.FromSeconds(60))
                        ?? throw new TimeoutException($"The failover of {victim} did not complete within 60 s.");
                    healthyCalls.Add(pings.Slowest.TotalMilliseconds);
                }

                phases.Add(events);
                if (hang)
                {
                    // The resumed card learns it was declared dead and stops (it has been replaced).
                    await chassis.Api.ResumeCardAsync(victim);
                }

                var after = await chassis.Api.WaitProtectedAsync(TimeSpan.FromSeconds(60), "every process ready and protected");
                reprotect.AddRange(after.Processes.Where(p => exposed.Contains(p.Name) && p.LastUnprotectedMs is not null).Select(p => p.LastUnprotectedMs!.Value));
                completed++;
            }
            catch (TimeoutException e)
            {
                failure = e.Message;
            }

            // What this kill cost beyond the killed card: healthy cards lost or suspected since the previous kill.
            var figures = await watch.FiguresAsync();
            lost.Add(figures.HealthyDeclaredDead.Count - seen.HealthyDeclaredDead.Count);
            suspicions.Add(figures.HealthySuspicions - seen.HealthySuspicions);
            Console.WriteLine($"    {fault} {rep + 1}: {(failure ?? "failover complete")}{(heldManager ? " (the card held the chassis manager)" : "")}; {figures}; {LoadAverage.Describe()}");
            seen = figures;
            if (failure is not null)
            {
                results.Notes.Add($"Card {fault}, {size}, detector '{detector.Name}': {fault} {rep + 1} of {repetitions} failed ({failure}); membership: {figures}. The series stopped there.");
                break;
            }
        }

        foreach (var (phase, samples) in phases.Each())
        {
            results.Add($"card {fault} to ready", detector == Detector.Default ? phase : $"{phase} ({detector.Name} detector)", size, "ms", samples);
        }

        if (reprotect.Count > 0 && !hang)
        {
            results.Add("re-protection", detector == Detector.Default ? "sync" : $"sync ({detector.Name} detector)", size, "ms", reprotect);
        }

        results.Add("false suspicions and deaths", $"{detector.Name}: slowest call to a healthy card's process during the failover", size, "ms", healthyCalls);
        results.Add("false suspicions and deaths", $"{detector.Name}: healthy cards declared dead per {fault}", size, "cards", lost);
        results.Add("false suspicions and deaths", $"{detector.Name}: suspicion votes on healthy cards per {fault}", size, "votes", suspicions);
        results.Add("false suspicions and deaths", $"{detector.Name}: {fault} failovers completed", size, "of " + repetitions, [completed]);
        results.Notes.Add($"Card {fault}, {size}, detector '{detector.Name}': {LoadAverage.Describe()} at the end (2 cores shared with other work: figures above a load of about 2 are disturbed).");
    }
}
