using System.Net.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Redundancy.Orleans.Client;

namespace Redundancy.Orleans.Monitoring.ChassisView;

/// <summary>
/// The chassis view: a static page (<c>/chassis/</c>) fed by a JSON snapshot (<c>/chassis/api/snapshot</c>)
/// and Server-Sent Events (<c>/chassis/api/stream</c>), plus operator actions under
/// <c>/chassis/api/actions/</c> that are refused unless enabled and authorised.
/// </summary>
public static class ChassisViewExtensions
{
    /// <summary>The path the view is served under.</summary>
    public const string Prefix = "/chassis";

    /// <summary>
    /// Registers the view. Reads the chassis through grain calls unless an <see cref="IChassisSource"/> is
    /// registered; performs actions through <see cref="ChassisViewOptions.ManagementUrl"/> unless an
    /// <see cref="IChassisActions"/> is registered.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names each key and value.</exception>
    public static IServiceCollection AddChassisView(this IServiceCollection services, ChassisViewOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }

        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IChassisSource, GrainChassisSource>();
        if (options.ManagementUrl is { } url)
        {
            services.TryAddSingleton<IChassisActions>(_ => new ManagementApiActions(new Uri(url), options.ManagementToken));
        }

        services.AddSingleton<ActionGate>();
        services.AddSingleton<ChassisFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<ChassisFeed>());
        return services;
    }

    /// <summary>Maps the page, its data and its actions.</summary>
    public static IEndpointRouteBuilder MapChassisView(this IEndpointRouteBuilder endpoints)
    {
        // Routing matches /chassis and /chassis/ alike; the page's relative links need the slash.
        endpoints.MapGet(Prefix, (HttpRequest request) => request.Path.Value!.EndsWith('/')
            ? Page("index.html", "text/html; charset=utf-8")
            : Results.Redirect(Prefix + "/"));
        endpoints.MapGet(Prefix + "/chassis.js", () => Page("chassis.js", "text/javascript; charset=utf-8"));
        endpoints.MapGet(Prefix + "/chassis.css", () => Page("chassis.css", "text/css; charset=utf-8"));
        endpoints.MapGet(Prefix + "/api/snapshot", (ChassisFeed feed) => Results.Text(feed.Json, "application/json"));
        endpoints.MapGet(Prefix + "/api/stream", (ChassisFeed feed, CancellationToken ct) =>
            TypedResults.ServerSentEvents(feed.StreamAsync(ct), eventType: "snapshot"));

        var actions = endpoints.MapGroup(Prefix + "/api/actions");
        actions.MapPost("/processes/{name}/crash", (string name, HttpRequest request, IServiceProvider sp, CancellationToken ct) =>
            Act(request, sp, async a =>
            {
                await a.CrashProcessAsync(name, ct);
                return new { process = name, crashed = true };
            }));
        actions.MapPost("/cards/{id}/kill", (string id, HttpRequest request, IServiceProvider sp, CancellationToken ct) =>
            Act(request, sp, async a =>
            {
                await a.KillCardAsync(id, ct);
                return new { card = id, killed = true };
            }));
        actions.MapPost("/cards", (HttpRequest request, IServiceProvider sp, CancellationToken ct) =>
            Act(request, sp, async a => new { card = await a.AddCardAsync(ct), added = true }));
        return endpoints;
    }

    private static async Task<IResult> Act<T>(HttpRequest request, IServiceProvider services, Func<IChassisActions, Task<T>> action)
    {
        if (services.GetRequiredService<ActionGate>().Refusal(request) is { } refusal)
        {
            return refusal;
        }

        if (services.GetService<IChassisActions>() is not { } actions)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "No management API",
                $"{ChassisViewOptions.SectionName}:ManagementUrl is not set: this dashboard cannot reach the process that owns the cards.");
        }

        try
        {
            return Results.Json(await action(actions), RedundancyJson.Options);
        }
        catch (ChassisApiException e)
        {
            return Problems.Create((int)e.Status, e.Title, e.Detail);
        }
        catch (HttpRequestException e)
        {
            return Problems.Create(StatusCodes.Status502BadGateway, "Management API unreachable", e.Message);
        }
    }

    private static IResult Page(string name, string contentType)
    {
        var stream = typeof(ChassisViewExtensions).Assembly.GetManifestResourceStream("chassis/" + name)
            ?? throw new InvalidOperationException($"The chassis view resource '{name}' is missing from the assembly.");
        return Results.Stream(stream, contentType);
    }
}
