using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Testing;
using Xunit;
using static Redundancy.Orleans.Tests.MultiProcess.ChassisChecks;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>The Prometheus endpoints of a real chassis expose our instruments with real values after a crash and a failover.</summary>
[Collection(EmbeddedChassisCollection.Name)]
public sealed class MetricsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Metrics_AfterCrashAndCardFailover_ExposeRestartsFailoversPhasesAndReplication()
    {
        await using var chassis = await EmbeddedChassisProcess.StartAsync(slots: 3, spares: 1, "--Chassis:RoutesPerProcess=200");
        var api = chassis.Client;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        // The chassis manager may start on the spare (the first card up) and then moves to a line card, where it
        // stays: the failover's figures are read from the card it settled on.
        var before = await api.WaitForAsync(
            s => s.Processes.All(p => IsProtected(s, p, 1))
                && s.ChassisManager is { State: ProcessState.Ready, CardId: { } home } && s.Cards.Any(c => c.CardId == home && c.Alive && c.Role == CardRoles.Line),
            Timeout, "every process protected and the chassis manager ready on a line card before the faults");

        // The control silo serves Orleans' own meter.
        var control = await http.GetStringAsync(api.BaseAddress + "metrics");
        Assert.True(control.Contains("orleans_", StringComparison.Ordinal), "the control silo's /metrics has no Orleans instrument");

        // A process crash: its card counts the restart.
        var victim = before.Processes.First(p => p.CardId != before.ChassisManager?.CardId);
        var victimCard = before.Cards.Single(c => c.CardId == victim.CardId);
        Assert.False(victimCard.MetricsUrl is null, $"card {victimCard.CardId} publishes no metricsUrl");
        await api.CrashAsync(victim.Name);
        await api.WaitForAsync(s => s.Processes.Any(p => p.Name == victim.Name && p.State == ProcessState.Ready && p.Epoch > victim.Epoch), Timeout,
            $"{victim.Name} ready again after the crash");
        await Eventually.WaitAsync(() => http.GetStringAsync(victimCard.MetricsUrl), m => PrometheusText.Sum(m, "redundancy_process_restarts_total", $"process=\"{victim.Name}\"") >= 1,
            Timeout, $"redundancy_process_restarts_total{{process=\"{victim.Name}\"}} >= 1 on {victimCard.CardId}", Tail);

        // A card failure (not the chassis manager's card, so that its counters survive): it times the failover.
        var manager = before.ChassisManager?.CardId ?? throw new InvalidOperationException("no chassis manager card in the status");
        var dead = before.Cards.First(c => c.Role == "line" && c.CardId != manager && c.CardId != victimCard.CardId).CardId;
        await api.KillCardAsync(dead);
        await Eventually.WaitAsync(() => api.GetEventsAsync(), es => es.Any(e => e.Kind == ChassisEventKind.CardFailover && e.CardId == dead && e.ReadyAt is not null),
            Timeout, $"the failover of {dead} to complete", es => string.Join("; ", es.Select(e => e.Message)));
        var managerCard = (await api.GetChassisAsync()).Cards.Single(c => c.CardId == manager);

        var metrics = await Eventually.WaitAsync(() => http.GetStringAsync(managerCard.MetricsUrl),
            m => PrometheusText.Sum(m, "redundancy_failover_phase_duration_milliseconds_count", "phase=\"total\"") >= 1, Timeout,
            $"a completed failover in the phase histogram of {manager} ({managerCard.MetricsUrl})", Tail);
        Assert.True(PrometheusText.Sum(metrics, "redundancy_failovers_total", "kind=\"card_failover\"") >= 1, "redundancy_failovers_total < 1");
        foreach (var phase in new[] { "detect", "place", "restore", "audit" })
        {
            Assert.True(PrometheusText.Sum(metrics, "redundancy_failover_phase_duration_milliseconds_count", $"phase=\"{phase}\"") >= 1, $"no {phase} phase recorded");
            Assert.True(PrometheusText.Sum(metrics, "redundancy_failover_phase_duration_milliseconds_sum", $"phase=\"{phase}\"") >= 0, $"no {phase} phase sum");
        }

        Assert.True(PrometheusText.Sum(metrics, "redundancy_failover_phase_duration_milliseconds_sum", "phase=\"detect\"") > 0, "the detect phase took no time");
        Assert.True(PrometheusText.Sum(metrics, "redundancy_replication_deltas_total") > 0, "no deltas replicated");
        Assert.True(PrometheusText.Sum(metrics, "redundancy_replication_bytes_total") > 0, "no bytes replicated");
        Assert.True(PrometheusText.Sum(metrics, "redundancy_replication_latency_milliseconds_count") > 0, "no replication latency recorded");
        Assert.NotNull(PrometheusText.Sum(metrics, "redundancy_replication_lag", "process=\"chassis\""));
        Assert.NotNull(PrometheusText.Sum(metrics, "redundancy_processes_unprotected"));
    }

    private static string Tail(string metrics)
    {
        var ours = string.Join("\n", metrics.Split('\n').Where(l => l.StartsWith("redundancy_", StringComparison.Ordinal) && !l.Contains("_bucket", StringComparison.Ordinal)));
        return ours.Length > 3000 ? ours[..3000] : ours;
    }
}
