using Redundancy.Orleans.Testing;
using System.Globalization;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static Redundancy.Orleans.Tests.MultiProcess.ChassisChecks;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>
/// The chaos checker: random faults (process crash, card kill, card hang, card replacement) under
/// continuous acknowledged updates, then: no acknowledged update lost, none invented, one primary per
/// process on the card serving its slot, forwarding tables and peers consistent. Bounded by CHAOS_SECONDS
/// (default 45); CHAOS_SEED replays a run.
/// </summary>
[Collection(EmbeddedChassisCollection.Name)]
[Trait("Category", TestCategories.MultiProcess)]
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RandomFaults_UnderContinuousUpdates_NothingLostNothingInvented()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CHAOS_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Environment.TickCount & 0xFFFF;
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("CHAOS_SECONDS"), CultureInfo.InvariantCulture, out var d) ? d : 45;
        try
        {
            await RunAsync(seed, seconds);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            // A timeout's message names the phase, not the run: a failure in CI must say how to replay it.
            throw new InvalidOperationException($"chaos seed {seed} (replay with CHAOS_SEED={seed}): {e.Message}", e);
        }
    }

    private async Task RunAsync(int seed, int seconds)
    {
        var random = new Random(seed);
        var log = new RunLog(output);
        var Note = log.Note;

        Note($"chaos: seed {seed} (replay with CHAOS_SEED={seed}), {seconds} s");
        await using var chassis = await EmbeddedChassisProcess.StartAsync(slots: 3, spares: 2, replacementCards: 60, "--Chassis:RoutesPerProcess=0");
        using var logs = new ChassisLogs(output, chassis);
        var api = chassis.Client;
        var start = await api.GetChassisAsync();
        var writers = start.Processes.Select((p, i) => new ChaosWriter(api, p.Name, i, new Random(seed + i))).ToList();
        using var stop = new CancellationTokenSource();
        var writing = writers.Select(w => w.RunAsync(TimeSpan.FromMilliseconds(20), stop.Token)).ToList();

        var faults = new Dictionary<string, int> { ["crash"] = 0, ["kill"] = 0, ["hang"] = 0, ["replace"] = 0 };
        var hung = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                var status = await WaitHealthyAsync(api, "the chassis healthy before the next fault");
                foreach (var card in hung.ToList())
                {
                    await api.ResumeCardAsync(card); // it was declared dead: on resume it stops by itself
                    hung.Remove(card);
                }

                var spares = status.Cards.Count(c => c.Alive && c.Role == CardRoles.Spare);
                var lineCards = status.Cards.Where(c => c.Alive && c.Role == CardRoles.Line).Select(c => c.CardId).ToList();
                Func<ChassisStatus, bool> seen = _ => true;
                var what = "";
                var kind = spares == 0 ? "replace" : random.Next(4) switch { 0 => "crash", 1 => "kill", 2 => "hang", _ => spares < 2 ? "replace" : "crash" };
                switch (kind)
                {
                    case "crash":
                        var process = status.Processes[random.Next(status.Processes.Count)].Name;
                        Note($"fault: crash process {process}");
                        var epoch = status.Processes.Single(p => p.Name == process).Epoch;
                        await api.CrashAsync(process);
                        (seen, what) = (x => x.Processes.Single(p => p.Name == process).Epoch > epoch, $"{process} restarted");
                        break;
                    case "kill":
                        var victim = lineCards[random.Next(lineCards.Count)];
                        Note($"fault: kill -9 card {victim}");
                        await api.KillCardAsync(victim);
                        (seen, what) = (x => x.Cards.Single(c => c.CardId == victim) is { Alive: false }, $"{victim} declared dead");
                        break;
                    case "hang":
                        var stopped = lineCards[random.Next(lineCards.Count)];
                        Note($"fault: kill -STOP card {stopped}");
                        await api.HangCardAsync(stopped);
                        hung.Add(stopped);
                        (seen, what) = (x => x.Cards.Single(c => c.CardId == stopped) is { Alive: false }, $"{stopped} declared dead");
                        break;
                    default:
                        var added = await api.AddCardAsync();
                        Note($"fault: replacement card {added} joins");
                        (seen, what) = (x => x.Cards.Any(c => c.CardId == added && c.Alive && c.Role == CardRoles.Spare), $"{added} alive as a spare");
                        break;
                }

                faults[kind]++;
                await api.WaitForAsync(seen, FailoverTimeout, $"the fault to take effect: {what}");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writing);
            foreach (var card in hung)
            {
                await api.ResumeCardAsync(card);
            }
        }

        var final = await WaitHealthyAsync(api, "the chassis healthy after the last fault");
        var problems = new List<string>();
        foreach (var writer in writers)
        {
            var routes = await api.GetRoutesAsync(writer.Process);
            problems.AddRange(writer.Check(routes.Routes.Select(r => r.Route.Prefix)));
            var fib = await api.GetForwardingAsync(writer.Process);
            if (!TestRoutes.Lines(routes.Routes.Where(r => r.Best).Select(r => r.Route)).SequenceEqual(TestRoutes.Lines(fib.Entries)))
            {
                problems.Add($"{writer.Process}: forwarding table on {fib.CardId} differs from the RIB's best paths");
            }
        }

        problems.AddRange(OnePrimaryPerProcess(final));
        await Eventually.WaitAsync(() => PeerProblemsAsync(api, final), p => p.Count == 0, FailoverTimeout, "peers to hold every process's best paths", p => string.Join("; ", p) + $" (the routes' own checks found {(problems.Count == 0 ? "nothing" : string.Join("; ", problems.Take(20)))})");

        var total = faults.Values.Sum();
        var verdict = problems.Count == 0 ? "PASS" : "FAIL";
        Note($"chaos: {total} faults injected ({string.Join(", ", faults.Select(f => $"{f.Key} {f.Value}"))}), " +
             $"{writers.Sum(w => w.Acknowledged)} updates acknowledged, {writers.Sum(w => w.Failed)} failed (uncertain); verdict {verdict}");
        Assert.True(problems.Count == 0, $"seed {seed}: {string.Join("; ", problems.Take(20))}\n{log}");
        Assert.True(total >= 3, $"seed {seed}: only {total} faults were injected in {seconds} s");
    }

    private static Task<ChassisStatus> WaitHealthyAsync(Client.ChassisClient api, string phase) =>
        api.WaitForAsync(s => s.Processes.All(p => p.State == ProcessState.Ready && s.Cards.Any(c => c.CardId == p.CardId && c.Alive))
                              && s.ChassisManager is { State: ProcessState.Ready }, FailoverTimeout, phase);

    private static IEnumerable<string> OnePrimaryPerProcess(ChassisStatus s)
    {
        foreach (var p in s.Processes)
        {
            var card = s.Cards.Single(c => c.CardId == p.CardId);
            if (card.Slot != p.Slot)
            {
                yield return $"{p.Name} (slot {p.Slot}) runs on {p.CardId}, which serves slot {card.Slot?.ToString(CultureInfo.InvariantCulture) ?? "none"}";
            }
        }

        foreach (var slot in s.Cards.Where(c => c.Alive && c.Slot is not null).GroupBy(c => c.Slot).Where(g => g.Count() > 1))
        {
            yield return $"slot {slot.Key} is served by {string.Join(" and ", slot.Select(c => c.CardId))}";
        }
    }

    private static async Task<List<string>> PeerProblemsAsync(Client.ChassisClient api, ChassisStatus s)
    {
        var problems = new List<string>();
        var views = new Dictionary<string, Routing.RoutingTableView>();
        foreach (var p in s.Processes)
        {
            views[p.Name] = await api.GetRoutesAsync(p.Name);
        }

        foreach (var (name, view) in views)
        {
            foreach (var (peer, count) in view.ReceivedFromPeers)
            {
                var best = views[peer].Routes.Count(r => r.Best);
                if (best != count)
                {
                    problems.Add($"{name} holds {count} routes from {peer}, which has {best}");
                }
            }
        }

        return problems;
    }
}
