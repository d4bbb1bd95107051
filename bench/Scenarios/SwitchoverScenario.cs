using System.Diagnostics;
using Redundancy.Orleans.Bench.Harness;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Testing;

namespace Redundancy.Orleans.Bench.Scenarios;

/// <summary>
/// Planned switchover (U1): a slot moves to the spare and back, over and over, while a caller pings one of its
/// processes without pause. The pause is the longest call during a switchover — what a caller of the process
/// waits — next to the ordinary call latency measured by the same caller in the same run (the baseline).
/// </summary>
internal static class SwitchoverScenario
{
    public static async Task RunAsync(int processes, int routes, int repetitions, Results results)
    {
        Console.WriteLine($"Planned switchover: {processes} process(es) of {routes} routes on the slot, {repetitions} switchovers");
        var table = new List<string>();
        for (var i = 0; i < processes; i++)
        {
            table.AddRange(EmbeddedChassisProcess.ProcessArgs(i, $"s{i}", 1));
        }

        table.AddRange(EmbeddedChassisProcess.ProcessArgs(processes, "w2", 2));
        await using var chassis = await BenchChassis.StartAsync(slots: 2, spares: 1, table);
        for (var i = 0; i < processes; i++)
        {
            foreach (var chunk in WorkloadGenerator.Routes(i, routes).Chunk(1000))
            {
                await chassis.Grains.GetGrain<IRoutingProcess>($"s{i}").Update(new RouteUpdate { Announce = chunk });
            }
        }

        var probe = chassis.Grains.GetGrain<IRoutingProcess>("s0");
        var pauses = new List<double>();
        var steady = new List<double>();
        var server = new List<double>();
        var restore = new List<double>();
        var audit = new List<double>();
        for (var rep = 0; rep < repetitions; rep++)
        {
            var before = await WaitSettledAsync(chassis.Api);
            var spare = before.Cards.First(c => c.Alive && c.Role == CardRoles.Spare).CardId;
            steady.AddRange(await PingForAsync(probe, TimeSpan.FromMilliseconds(300)));
            using var stop = new CancellationTokenSource();
            var pinging = PingUntilAsync(probe, stop.Token);
            var e = await chassis.Api.SwitchoverAsync(1, spare);
            var done = await chassis.Api.WaitForEventAsync(e.Id - 1, x => x.Id == e.Id && x.ReadyAt is not null, TimeSpan.FromSeconds(60))
                ?? throw new TimeoutException($"Switchover {rep} of slot 1 to {spare} did not complete within 60 s.");
            await PingForAsync(probe, TimeSpan.FromMilliseconds(50));
            await stop.CancelAsync();
            var calls = await pinging;
            pauses.Add(calls.Max());
            server.Add((done.RestoreMs ?? 0) + (done.AuditMs ?? 0));
            restore.Add(done.RestoreMs ?? 0);
            audit.Add(done.AuditMs ?? 0);
            var status = await probe.AsReference<IRedundantProcess>().GetStatus();
            if (status.CardId != spare || status.StateSize != routes)
            {
                throw new InvalidOperationException($"After switchover {rep}: s0 on {status.CardId} with {status.StateSize} routes, expected {spare} with {routes}.");
            }
        }

        var parameter = $"{processes} x {routes}";
        results.Add("switchover pause", "sync", parameter, "ms", pauses);
        results.Add("switchover pause", "call latency (baseline)", parameter, "ms", steady);
        results.Add("switchover restore+audit", "sync", parameter, "ms", server);
        results.Add("switchover restore+audit", "restore only", parameter, "ms", restore);
        results.Add("switchover restore+audit", "audit only", parameter, "ms", audit);
    }

    private static Task<ChassisStatus> WaitSettledAsync(ChassisClient api) =>
        api.WaitForAsync(s => s.Processes.All(p => p.State == ProcessState.Ready && p.Protected) && s.Cards.Any(c => c.Alive && c.Role == CardRoles.Spare),
            TimeSpan.FromSeconds(60), "every process ready and protected, a spare alive");

    private static async Task<List<double>> PingForAsync(IRoutingProcess process, TimeSpan duration)
    {
        using var cts = new CancellationTokenSource(duration);
        return await PingUntilAsync(process, cts.Token);
    }

    /// <summary>Back-to-back pings until cancelled; each call's latency (a call that meets the hand-over waits for it).</summary>
    private static async Task<List<double>> PingUntilAsync(IRoutingProcess process, CancellationToken ct)
    {
        var latencies = new List<double>();
        while (!ct.IsCancellationRequested)
        {
            var sw = Stopwatch.StartNew();
            await ChassisCalls.PingUntilRestoredAsync(process.AsReference<IRedundantProcess>());
            latencies.Add(sw.Elapsed.TotalMilliseconds);
        }

        return latencies;
    }
}
