using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Monitoring.Health;

namespace Redundancy.Orleans.Monitoring.Telemetry;

/// <summary>
/// OpenTelemetry for a chassis host (a card, the control silo, the dashboard): our meter and Orleans' meter, ASP.NET
/// Core, HttpClient and runtime instrumentation, our spans and Orleans' grain-call spans, exported to Prometheus and/or
/// OTLP (metrics, traces and logs) as configured. The names: docs/telemetry.md and <see cref="Instruments"/>.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The standard variable that alone turns OTLP export on (the exporter then reads its other <c>OTEL_*</c> variables).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Paths scraped or probed every few seconds: no span for them (they would drown the traces).</summary>
    private static readonly string[] Untraced = ["/metrics", HealthEndpoints.LivePath, HealthEndpoints.ReadyPath];

    /// <summary>Adds the meter, tracer and logger providers. Traces and logs are only collected when OTLP export is on.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="options">The <c>Telemetry</c> section.</param>
    /// <param name="serviceName">The OpenTelemetry service name (for example <c>redundancy-card</c>).</param>
    /// <param name="instanceId">This instance (for example the card id).</param>
    /// <param name="serviceVersion">The software version (<c>service.version</c>: which build a card runs during a rolling upgrade).</param>
    public static IServiceCollection AddRedundancyTelemetry(this IServiceCollection services, TelemetryOptions options, string serviceName, string instanceId, string serviceVersion)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }

        var otlp = options.OtlpEndpoint is not null || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable));
        if (!options.Prometheus && !otlp)
        {
            return services;
        }

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: serviceVersion, serviceInstanceId: instanceId))
            .WithMetrics(m =>
            {
                m.AddMeter(TelemetryNames.Meter, TelemetryNames.OrleansMeter)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (options.Prometheus)
                {
                    m.AddPrometheusExporter();
                }
            });
        if (otlp)
        {
            otel.WithTracing(t => t
                    .AddSource(TelemetryNames.ActivitySource, TelemetryNames.OrleansActivitySources)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !Untraced.Any(p => context.Request.Path.StartsWithSegments(p)))
                    .AddHttpClientInstrumentation())
                .WithLogging();

            // One exporter for all three signals. Configured explicitly, or else from the standard OTEL_* variables.
            if (options.OtlpEndpoint is { } endpoint)
            {
                otel.UseOtlpExporter(options.OtlpProtocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf, new Uri(endpoint));
            }
            else
            {
                otel.UseOtlpExporter();
            }
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
}
