using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Redundancy.Orleans.Monitoring.Health;

/// <summary>
/// <c>/healthz</c> (the process is alive: it answers) and <c>/readyz</c> (every check tagged <see cref="ReadyTag"/>
/// passes), with ASP.NET Core health checks, on every card, the control silo and the standalone dashboard. Both
/// answer JSON: the overall status and, for <c>/readyz</c>, each check with what it found.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Liveness: answers 200 while the process runs its web host.</summary>
    public const string LivePath = "/healthz";

    /// <summary>Readiness: 200 when every readiness check is healthy, else 503.</summary>
    public const string ReadyPath = "/readyz";

    /// <summary>The tag of the checks <c>/readyz</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>How long one readiness check may take before it counts as failed.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>Registers ASP.NET Core health checks; add readiness checks with <c>tags: [ReadyTag]</c>.</summary>
    public static IHealthChecksBuilder AddRedundancyHealth(this IServiceCollection services) => services.AddHealthChecks();

    /// <summary>Maps <c>/healthz</c> and <c>/readyz</c>.</summary>
    public static IEndpointRouteBuilder MapRedundancyHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        return endpoints;
    }

    /// <summary>Runs a check's work with <see cref="CheckTimeout"/>: a timeout or an exception is unhealthy, with the reason.</summary>
    public static async Task<HealthCheckResult> WithTimeoutAsync(string what, Func<CancellationToken, Task<HealthCheckResult>> check, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            return await check(timeout.Token).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{what} did not answer within {CheckTimeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is not OutOfMemoryException && !ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{what}: {e.GetBaseException().Message}");
        }
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
