using System.Text.Json;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Testing;
using Xunit;
using static Redundancy.Orleans.Tests.MultiProcess.ChassisChecks;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>
/// The Prometheus endpoints of a real chassis expose our instruments (by their catalogued names) with real values after
/// a crash and a failover, and the control silo's service discovery lists every live card's endpoint.
/// </summary>
[Collection(EmbeddedChassisCollection.Name)]
[Trait("Category", TestCategories.MultiProcess)]
public sealed class MetricsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly string ProcessLabel = InstrumentDefinition.PrometheusLabel(TelemetryAttributes.Process);
    private static readonly string Phases = Instruments.FailoverPhaseDuration.PrometheusName;

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

        // The control silo serves Orleans' own meter, and lists every live card's metrics endpoint for Prometheus.
        var control = await http.GetStringAsync(api.BaseAddress + "metrics");
        Assert.True(control.Contains("orleans_", StringComparison.Ordinal), "the control silo's /metrics has no Orleans instrument");
        Assert.Equal(
            before.Cards.Where(c => c.Alive).Select(c => $"{c.CardId} {c.MetricsUrl}").Order(StringComparer.Ordinal),
            await DiscoveredTargetsAsync(http, api.BaseAddress!));

        // A process crash: its card counts the restart.
        var victim = before.Processes.First(p => p.CardId != before.ChassisManager?.CardId);
        var victimCard = before.Cards.Single(c => c.CardId == victim.CardId);
        Assert.False(victimCard.MetricsUrl is null, $"card {victimCard.CardId} publishes no metricsUrl");
        await api.CrashAsync(victim.Name);
        await api.WaitForAsync(s => s.Processes.Any(p => p.Name == victim.Name && p.State == ProcessState.Ready && p.Epoch > victim.Epoch), Timeout,
            $"{victim.Name} ready again after the crash");
        var restarts = Instruments.ProcessRestarts.PrometheusName;
        await Eventually.WaitAsync(() => http.GetStringAsync(victimCard.MetricsUrl), m => PrometheusText.Sum(m, restarts, $"{ProcessLabel}=\"{victim.Name}\"") >= 1,
            Timeout, $"{restarts}{{{ProcessLabel}=\"{victim.Name}\"}} >= 1 on {victimCard.CardId}", Tail);

        // A card failure (not the chassis manager's card, so that its counters survive): it times the failover.
        var manager = before.ChassisManager?.CardId ?? throw new InvalidOperationException("no chassis manager card in the status");
        var dead = before.Cards.First(c => c.Role == "line" && c.CardId != manager && c.CardId != victimCard.CardId).CardId;
        await api.KillCardAsync(dead);
        await Eventually.WaitAsync(() => api.GetEventsAsync(), es => es.Any(e => e.Kind == ChassisEventKind.CardFailover && e.CardId == dead && e.ReadyAt is not null),
            Timeout, $"the failover of {dead} to complete", es => string.Join("; ", es.Select(e => e.Message)));
        var managerCard = (await api.GetChassisAsync()).Cards.Single(c => c.CardId == manager);

        var metrics = await Eventually.WaitAsync(() => http.GetStringAsync(managerCard.MetricsUrl),
            m => PrometheusText.Sum(m, Phases + "_count", "phase=\"total\"") >= 1, Timeout,
            $"a completed failover in the phase histogram of {manager} ({managerCard.MetricsUrl})", Tail);
        Assert.True(PrometheusText.Sum(metrics, Instruments.Failovers.PrometheusName, "kind=\"card_failover\"") >= 1, "no card failover counted");
        foreach (var phase in new[] { "detect", "place", "restore", "audit" })
        {
            Assert.True(PrometheusText.Sum(metrics, Phases + "_count", $"phase=\"{phase}\"") >= 1, $"no {phase} phase recorded");
            Assert.True(PrometheusText.Sum(metrics, Phases + "_sum", $"phase=\"{phase}\"") >= 0, $"no {phase} phase sum");
        }

        // Durations are in seconds: a failover on loopback takes well under a minute, and more than nothing.
        var total = PrometheusText.Sum(metrics, Phases + "_sum", "phase=\"total\"") / PrometheusText.Sum(metrics, Phases + "_count", "phase=\"total\"");
        Assert.True(total is > 0 and < 60, $"the mean total failover phase is {total} s: not a duration in seconds");
        Assert.True(PrometheusText.Sum(metrics, Phases + "_sum", "phase=\"detect\"") > 0, "the detect phase took no time");
        Assert.True(PrometheusText.Sum(metrics, Instruments.ReplicationDeltas.PrometheusName) > 0, "no deltas replicated");
        Assert.True(PrometheusText.Sum(metrics, Instruments.ReplicationBytes.PrometheusName) > 0, "no bytes replicated");
        Assert.True(PrometheusText.Sum(metrics, Instruments.ReplicationDuration.PrometheusName + "_count") > 0, "no replication duration recorded");
        Assert.NotNull(PrometheusText.Sum(metrics, Instruments.ReplicationLag.PrometheusName, $"{ProcessLabel}=\"chassis\""));
        Assert.NotNull(PrometheusText.Sum(metrics, Instruments.ProcessesUnprotected.PrometheusName));

        // Membership as the cards see it: the killed card counts as dead, and the service discovery no longer lists it.
        var cardsGauge = Instruments.Cards.PrometheusName;
        await Eventually.WaitAsync(() => http.GetStringAsync(managerCard.MetricsUrl),
            m => PrometheusText.Sum(m, cardsGauge, "redundancy_card_role=\"line\"", "redundancy_card_state=\"dead\"") == 1, Timeout,
            $"{cardsGauge}{{redundancy_card_role=\"line\",redundancy_card_state=\"dead\"}} == 1 on {manager} after {dead} was killed", Tail);
        var discovered = await DiscoveredTargetsAsync(http, api.BaseAddress!);
        Assert.DoesNotContain(discovered, t => t.StartsWith(dead + " ", StringComparison.Ordinal));
    }

    /// <summary>The control silo's Prometheus HTTP service discovery, as "card url" lines.</summary>
    private static async Task<IEnumerable<string>> DiscoveredTargetsAsync(HttpClient http, Uri api)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(api, "api/metrics/targets")));
        return doc.RootElement.EnumerateArray().Select(group =>
        {
            var labels = group.GetProperty("labels");
            var url = $"{labels.GetProperty("__scheme__").GetString()}://{group.GetProperty("targets")[0].GetString()}{labels.GetProperty("__metrics_path__").GetString()}";
            return $"{labels.GetProperty("redundancy_card").GetString()} {url}";
        }).Order(StringComparer.Ordinal).ToList();
    }

    private static string Tail(string metrics)
    {
        var ours = string.Join("\n", metrics.Split('\n').Where(l => l.StartsWith("redundancy_", StringComparison.Ordinal) && !l.Contains("_bucket", StringComparison.Ordinal)));
        return ours.Length > 3000 ? ours[..3000] : ours;
    }
}
