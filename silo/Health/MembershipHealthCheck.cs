using Microsoft.Extensions.Diagnostics.HealthChecks;
using Redundancy.Orleans.Monitoring.Health;

namespace Redundancy.Orleans.Silo.Health;

/// <summary>
/// Ready only while this silo is active in membership and the membership store answers (Redis in cluster mode, the
/// control silo's table with development membership): a card that cannot reach the store cannot see failures either.
/// </summary>
internal sealed class MembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo, IMembershipTable table) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        HealthEndpoints.WithTimeoutAsync("The membership store", async ct =>
        {
            var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
            if (status != SiloStatus.Active)
            {
                return HealthCheckResult.Unhealthy($"This silo ({silo.SiloAddress}) is {status} in membership, not Active.");
            }

            var rows = await table.ReadAllAsync(ct);
            return HealthCheckResult.Healthy($"Active in membership; the store lists {rows.Members.Count} silo(s).");
        }, cancellationToken);
}
