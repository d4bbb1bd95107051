using Microsoft.Extensions.Diagnostics.HealthChecks;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Monitoring.Health;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Silo.Health;

/// <summary>Ready only while every process this card serves now (by the slot map) is ready; a spare serves none.</summary>
internal sealed class ProcessesHealthCheck(ProcessDirectory processes, CardDirectory cards, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        HealthEndpoints.WithTimeoutAsync("This card's processes", async _ =>
        {
            var serving = cards.ServingCards();
            var mine = processes.Table.All.Where(p => cards.CardForProcess(p, serving)?.Silo.Equals(silo.SiloAddress) == true).ToList();
            var states = await Task.WhenAll(mine.Select(async p => (p.Name, (await processes.Get(p.Name).GetStatus()).State)));
            var notReady = states.Where(s => s.State != ProcessState.Ready).Select(s => $"{s.Name} {s.State}").ToList();
            return notReady.Count == 0
                ? HealthCheckResult.Healthy($"{mine.Count} process(es) ready on this card.")
                : HealthCheckResult.Unhealthy($"Not ready: {string.Join(", ", notReady)}.");
        }, cancellationToken);
}
