using Redundancy.Orleans.Monitoring.Health;

namespace Redundancy.Orleans.Silo.Health;

/// <summary>The readiness checks of a card, and for the host of the management API also the chassis manager.</summary>
internal static class SiloHealth
{
    public static void Add(IServiceCollection services, bool hostsApi)
    {
        var checks = services.AddRedundancyHealth()
            .AddCheck<MembershipHealthCheck>("membership", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<ProcessesHealthCheck>("processes", tags: [HealthEndpoints.ReadyTag]);
        if (hostsApi)
        {
            checks.AddCheck<ChassisManagerHealthCheck>("chassis-manager", tags: [HealthEndpoints.ReadyTag]);
        }
    }
}
