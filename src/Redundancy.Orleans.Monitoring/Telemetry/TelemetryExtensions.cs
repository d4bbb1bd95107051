using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Redundancy.Orleans.Diagnostics;

namespace Redundancy.Orleans.Monitoring.Telemetry;

/// <summary>
/// OpenTelemetry for a chassis host (a card, the control silo, the dashboard): our meter and Orleans'
/// meter, our spans and Orleans' grain-call spans, exported to Prometheus and/or OTLP as configured.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Adds the meter and tracer providers. Traces are only collected when an OTLP endpoint is set.</summary>
    /// <param name="serviceName">The OpenTelemetry service name (for example <c>redundancy-card</c>).</param>
    /// <param name="instanceId">This instance (for example the card id).</param>
    public static IServiceCollection AddRedundancyTelemetry(this IServiceCollection services, TelemetryOptions options, string serviceName, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }

        if (!options.Prometheus && options.OtlpEndpoint is null)
        {
            return services;
        }

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: instanceId))
            .WithMetrics(m =>
            {
                m.AddMeter(TelemetryNames.Meter, TelemetryNames.OrleansMeter);
                if (options.Prometheus)
                {
                    m.AddPrometheusExporter();
                }

                if (options.OtlpEndpoint is { } endpoint)
                {
                    m.AddOtlpExporter(o => Configure(o, endpoint, options.OtlpProtocol));
                }
            });
        if (options.OtlpEndpoint is { } traces)
        {
            otel.WithTracing(t => t
                .AddSource(TelemetryNames.ActivitySource, TelemetryNames.OrleansActivitySources)
                .AddOtlpExporter(o => Configure(o, traces, options.OtlpProtocol)));
        }

        return services;
    }

    /// <summary>Maps <c>/metrics</c> when the Prometheus exporter is on.</summary>
    public static IEndpointRouteBuilder MapRedundancyMetrics(this IEndpointRouteBuilder endpoints, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Prometheus)
        {
            endpoints.MapPrometheusScrapingEndpoint("/metrics");
        }

        return endpoints;
    }

    private static void Configure(OtlpExporterOptions o, string endpoint, string protocol)
    {
        o.Endpoint = new Uri(endpoint);
        o.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
    }
}
