using Microsoft.Extensions.Diagnostics.HealthChecks;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Monitoring.Health;

namespace Redundancy.Orleans.Silo.Health;

/// <summary>The control card's API answers only what the chassis manager tells it: ready while it answers.</summary>
internal sealed class ChassisManagerHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        HealthEndpoints.WithTimeoutAsync("The chassis manager", async _ =>
        {
            var map = await grains.GetGrain<IChassisManager>(IChassisManager.Key).GetSlotMap();
            return HealthCheckResult.Healthy($"The chassis manager answers (slot map version {map.Version}).");
        }, cancellationToken);
}
