using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.ManagementApi.Configuration;

namespace Redundancy.Orleans.ManagementApi.Hosting;

/// <summary>
/// The management API in a silo's web host: <c>services.AddRedundancyManagementApi(...)</c> and
/// <c>endpoints.MapRedundancyManagementApi("/api")</c>, as the Orleans Dashboard is added and mapped.
/// </summary>
public static class ManagementApiExtensions
{
    /// <summary>The management API's default prefix.</summary>
    public const string DefaultPrefix = "/api";

    /// <summary>
    /// Registers the management API's services: its token, problem details for every failure (a central exception handler,
    /// status codes without a body as problems), and its OpenAPI document.
    /// </summary>
    public static IServiceCollection AddRedundancyManagementApi(this IServiceCollection services, Action<ManagementApiOptions>? configure = null)
    {
        var options = services.AddOptions<ManagementApiOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => !string.IsNullOrWhiteSpace(o.TokenSetting) && !string.IsNullOrWhiteSpace(o.BodyLimitSetting),
            "ManagementApiOptions.TokenSetting and BodyLimitSetting name host settings; they must not be empty.").ValidateOnStart();
        // Errors without a body (no such endpoint, wrong method, too large) become problem details with a detail too,
        // where the host runs UseExceptionHandler and UseStatusCodePages.
        services.AddProblemDetails(o =>
        {
            var host = o.CustomizeProblemDetails;
            o.CustomizeProblemDetails = c =>
            {
                host?.Invoke(c);
                c.ProblemDetails.Detail ??= DefaultDetail(c.HttpContext, c.ProblemDetails.Status);
            };
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        ApiDocument.Add(services);
        services.AddSingleton<ApiToken>();
        services.AddSingleton<MappedPrefix>();
        services.AddSingleton<CardLookup>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Maps the management API under <paramref name="prefix"/>: status, events and audits, processes, card faults and
    /// provisioning, fault injection, upgrades, Prometheus discovery, and every registered
    /// <see cref="IManagementApiEndpoints"/> of an application; <c>/problems/{name}</c> explains the problem types and
    /// <c>/openapi/v1.json</c> describes it all. Returns the group, for more conventions.
    /// </summary>
    public static RouteGroupBuilder MapRedundancyManagementApi(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (!prefix.StartsWith('/') || prefix.EndsWith('/'))
        {
            throw new ArgumentException($"The management API's prefix must start with '/' and not end with one (got '{prefix}').", nameof(prefix));
        }

        var token = endpoints.ServiceProvider.GetService<ApiToken>() ?? throw new InvalidOperationException(
            "The management API's services are not registered: call services.AddRedundancyManagementApi() before mapping it.");
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(ProcessDirectory)) != true)
        {
            throw new InvalidOperationException(
                "The management API reads the silo in its host: configure it first (builder.UseOrleans(silo => silo.AddProcessRedundancy(card))).");
        }

        var mapped = endpoints.ServiceProvider.GetRequiredService<MappedPrefix>();
        if (mapped.Value is { } earlier)
        {
            throw new InvalidOperationException($"The management API is already mapped (at '{earlier}'); map it once.");
        }

        mapped.Value = prefix;
        var api = endpoints.MapGroup(prefix);
        api.AddEndpointFilter(token.FilterAsync);
        api.WithMetadata(ApiDocument.Marker.Instance);
        ChassisEndpoints.Map(api);
        ProcessEndpoints.Map(api);
        CardEndpoints.Map(api);
        FaultEndpoints.Map(api);
        UpgradeEndpoints.Map(api);
        foreach (var application in endpoints.ServiceProvider.GetServices<IManagementApiEndpoints>())
        {
            application.Map(api);
        }

        // The problem types a client must tell apart (not-protected, outcome-unknown, ...): GET on one explains it.
        endpoints.MapGet("/problems/{name}", (string name) =>
            ProblemTypes.Explanations.TryGetValue("/problems/" + name, out var text)
                ? Results.Text(text)
                : ManagementResults.Problem(StatusCodes.Status404NotFound, "Not found",
                    $"No problem type '{ManagementResults.Shorten(name)}': the API uses {string.Join(", ", ProblemTypes.Explanations.Keys)}."));
        endpoints.MapOpenApi(ApiDocument.Path);
        return api;
    }

    private static string DefaultDetail(HttpContext context, int? status) => status switch
    {
        StatusCodes.Status404NotFound =>
            $"No management API endpoint at {context.Request.Method} {context.Request.Path}; see GET {context.RequestServices.GetService<MappedPrefix>()?.Value ?? DefaultPrefix}/chassis and /openapi/v1.json.",
        StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
        StatusCodes.Status413PayloadTooLarge => ManagementResults.TooLarge(context),
        _ => $"{context.Request.Method} {context.Request.Path} failed with status {status}.",
    };

    /// <summary>Where the API was mapped: once per host, named in a 404's detail.</summary>
    private sealed class MappedPrefix
    {
        public string? Value { get; set; }
    }
}
