using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Redundancy.Orleans.FailureDetection;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Hosting;

/// <summary>Failure detection beyond Orleans' probes.</summary>
public static class FailureDetectionSiloBuilderExtensions
{
    /// <summary>
    /// Closed-port evidence: a silo whose process is gone (its connection ended, its port refuses connections here and
    /// at a second card) is declared dead at once with <see cref="IClusterMembershipService.TryKill"/>, in milliseconds
    /// instead of after missed probes. Hung, busy or unreachable silos never refuse and stay with Orleans' probes, so
    /// those can be configured to tolerate the load of a failover (see <c>docs/design.md</c>, failure detection).
    /// </summary>
    public static ISiloBuilder AddClosedPortDetection(this ISiloBuilder builder, Action<ClosedPortDetectionOptions>? configure = null)
    {
        var services = builder.Services;
        var options = services.AddOptions<ClosedPortDetectionOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClosedPortDetectionOptions>, ClosedPortDetectionOptionsValidator>());
        services.TryAddSingleton<ILivenessWitnesses, LivenessWitnessClient>();
        services.TryAddSingleton<ClosedPortDetector>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ClosedPortDetector>());
        builder.AddGrainService<LivenessWitness>();
        builder.Configure<SiloConnectionOptions>(o =>
        {
            o.ConfigureSiloOutboundConnection(connection => OnEnd(connection, (detector, context) => detector.ConnectionEnded(context.RemoteEndPoint)));
            o.ConfigureSiloInboundConnection(connection => OnEnd(connection, (detector, _) => detector.InboundConnectionEnded()));
        });
        return builder;
    }

    /// <summary>Tells the detector when a silo connection ends, however it ends.</summary>
    private static void OnEnd(IConnectionBuilder connection, Action<ClosedPortDetector, ConnectionContext> ended)
    {
        var detector = connection.ApplicationServices.GetRequiredService<ClosedPortDetector>();
        connection.Use(next => async context =>
        {
            try
            {
                await next(context);
            }
            finally
            {
                ended(detector, context);
            }
        });
    }
}
