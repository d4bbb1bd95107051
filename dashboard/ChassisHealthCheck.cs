using Microsoft.Extensions.Diagnostics.HealthChecks;
using Redundancy.Orleans.Monitoring.ChassisView;
using Redundancy.Orleans.Monitoring.Health;

namespace Redundancy.Orleans.Dashboard;

/// <summary>The dashboard is ready when it can show the chassis: a status read through its Orleans client answers.</summary>
internal sealed class ChassisHealthCheck(IChassisSource source) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        HealthEndpoints.WithTimeoutAsync("The chassis", async ct =>
        {
            var status = await source.GetStatusAsync(ct);
            return HealthCheckResult.Healthy($"Connected: {status.Cards.Count(c => c.Alive)} card(s) alive.");
        }, cancellationToken);
}
