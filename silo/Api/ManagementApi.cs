using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.History;
using Redundancy.Orleans.Silo.Configuration;
using Redundancy.Orleans.Silo.Embedded;

namespace Redundancy.Orleans.Silo.Api;

/// <summary>The management HTTP API of the control silo (JSON; errors are problem details).</summary>
internal static class ManagementApi
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(3);

    public static void Map(WebApplication app, ChassisOptions chassis)
    {
        app.MapGet("/api/chassis", GetChassis);
        app.MapGet("/api/processes/{name}/routes", (string name, ProcessDirectory processes) =>
            Call(name, processes, p => Routing(p).GetRoutes()));
        app.MapGet("/api/processes/{name}/forwarding", (string name, ProcessDirectory processes) =>
            Call(name, processes, p => Routing(p).GetForwardingTable()));
        app.MapGet("/api/processes/{name}", (string name, ProcessDirectory processes) => Call(name, processes, p => p.GetStatus()));
        app.MapPost("/api/processes/{name}/routes", async (string name, HttpRequest request, ProcessDirectory processes) =>
        {
            var update = await ReadBodyAsync<RouteUpdate>(request, chassis, "route batch");
            return update.Error ?? await Call(name, processes, p => Routing(p).Update(update.Value!));
        });
        app.MapGet("/api/events", async (string? after, string? limit, ChassisHistory history) =>
        {
            var page = Paging(after, limit);
            return page.Error ?? await Guard(() => history.GetEventsAsync(page.After, page.Limit));
        });
        app.MapGet("/api/processes/{name}/audits", async (string name, string? after, string? limit, ChassisHistory history, ProcessDirectory processes) =>
        {
            var page = Paging(after, limit);
            if (page.Error is { } error)
            {
                return error;
            }

            if (!ProcessNames.IsValid(name))
            {
                return Problem(StatusCodes.Status400BadRequest, "Invalid input", $"Process name '{Shorten(name)}' is invalid: use 1..64 letters, digits, '-', '_' or '.'.");
            }

            // The chassis manager ('chassis') is a redundant process too, with its own restores and audits.
            if (name != IChassisManager.Key && !processes.Table.TryGet(name, out _))
            {
                return Problem(StatusCodes.Status404NotFound, "Not found", $"Process '{name}' is not in the process table.");
            }

            return await Guard(() => history.GetAuditsAsync(name, page.After, page.Limit), $"The audit history of '{name}'");
        });
        app.MapPost("/api/cards/{id}/kill", (string id, CardControl cards) => Guard(() => cards.KillAsync(id)));
        app.MapPost("/api/cards/{id}/hang", (string id, CardControl cards) => Guard(() => cards.HangAsync(id)));
        app.MapPost("/api/cards/{id}/resume", (string id, CardControl cards) => Guard(() => Task.FromResult(cards.Resume(id))));
        app.MapPost("/api/cards/{id}/declare-dead", (string id, CardControl cards) => Guard(() => cards.DeclareDeadAsync(id)));
        app.MapPost("/api/cards", (CardControl cards) => Guard(() => Task.FromResult(cards.AddSpare())));
        app.MapPost("/api/processes/{name}/release", async (string name, string? rebuild, ProcessDirectory processes) =>
            !bool.TryParse(rebuild ?? "false", out var rebuilding)
                ? Problem(StatusCodes.Status400BadRequest, "Invalid input", $"Query 'rebuild' must be 'true' or 'false' (got '{Shorten(rebuild!)}').")
                : await Call(name, processes, async p =>
                {
                    await p.Release(rebuilding);
                    return new { process = name, released = true, rebuild = rebuilding };
                }));
        UpgradeApi.Map(app, chassis);
        FaultApi.Map(app);
        MetricsTargetsApi.Map(app);
        app.MapGet("/problems/{name}", (string name) =>
            ProblemTypes.Explanations.TryGetValue("/problems/" + name, out var text)
                ? Results.Text(text)
                : Problem(StatusCodes.Status404NotFound, "Not found", $"No problem type '{Shorten(name)}': the API uses {string.Join(", ", ProblemTypes.Explanations.Keys)}."));
        app.MapPost("/api/processes/{name}/crash", async (string name, string? poison, ProcessDirectory processes) =>
            !bool.TryParse(poison ?? "false", out var poisoned)
                ? Problem(StatusCodes.Status400BadRequest, "Invalid input", $"Query 'poison' must be 'true' or 'false' (got '{poison}').")
                : await Call(name, processes, async p =>
                {
                    await p.Crash(poisoned);
                    return new { process = name, crashed = true, poison = poisoned };
                }));
    }

    /// <summary>
    /// Reads a JSON body; a bad one gives a problem detail and no value: 400 bad JSON or JSON null, 413 too large,
    /// 415 not JSON.
    /// </summary>
    public static async Task<(T? Value, IResult? Error)> ReadBodyAsync<T>(HttpRequest request, ChassisOptions chassis, string what)
        where T : class
    {
        try
        {
            var value = await request.ReadFromJsonAsync<T>(request.HttpContext.RequestAborted);
            return value is null
                ? (null, Problem(StatusCodes.Status400BadRequest, "Invalid input", $"The body is JSON null; send a {what}."))
                : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "Invalid JSON", $"The body is not a {what}: {e.Message}"));
        }
        catch (BadHttpRequestException e)
        {
            return (null, Problem(e.StatusCode, "Bad request", e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"The body is larger than {chassis.MaxRequestBodyBytes} bytes ({ChassisOptions.SectionName}:MaxRequestBodyBytes)."
                : e.Message));
        }
        catch (InvalidOperationException e)
        {
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"Send the {what} as JSON (Content-Type: application/json). {e.Message}"));
        }
    }

    private static async Task<IResult> GetChassis(ChassisStatusReader reader, ChassisStartup startup) =>
        Results.Json(await reader.ReadAsync() with { Startup = startup.Current });

    private static IRoutingProcess Routing(IRedundantProcess process) =>
        process as IRoutingProcess ?? throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"Process '{process.GetPrimaryKeyString()}' is not a routing process.");

    private static Task<IResult> Call<T>(string name, ProcessDirectory processes, Func<IRedundantProcess, Task<T>> action) =>
        ProcessNames.IsValid(name)
            ? Guard(() => action(processes.Get(name)), $"Process '{name}'")
            : Task.FromResult(Problem(StatusCodes.Status400BadRequest, "Invalid input", $"Process name '{Shorten(name)}' is invalid: use 1..64 letters, digits, '-', '_' or '.'."));

    /// <summary>Default page of <c>GET /api/events</c> and <c>.../audits</c> when no <c>limit</c> is given.</summary>
    public const int DefaultLimit = 1000;

    /// <summary>The <c>after</c> and <c>limit</c> query of a paged read, or the problem that names the bad one.</summary>
    private static (long After, int Limit, IResult? Error) Paging(string? after, string? limit)
    {
        if (!long.TryParse(after ?? "0", System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var from))
        {
            return (0, 0, Problem(StatusCodes.Status400BadRequest, "Invalid input", $"Query 'after' must be a whole number of 0 or more (got '{after}')."));
        }

        if (!int.TryParse(limit ?? DefaultLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            || count is < 1 or > ChassisHistory.MaxLimit)
        {
            return (0, 0, Problem(StatusCodes.Status400BadRequest, "Invalid input", $"Query 'limit' must be a whole number 1..{ChassisHistory.MaxLimit} (got '{limit}')."));
        }

        return (from, count, null);
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "..." : text;

    /// <summary>Runs an API action and maps every refusal to a problem detail with the right status.</summary>
    public static async Task<IResult> Guard<T>(Func<Task<T>> action, string subject = "The chassis")
    {
        try
        {
            return Results.Json(await action());
        }
        catch (Exception e) when (Unwrap(e) is RedundancyException r)
        {
            return r.Kind switch
            {
                RedundancyErrorKind.InvalidInput => Problem(StatusCodes.Status400BadRequest, "Invalid input", r.Message),
                RedundancyErrorKind.UnknownProcess => Problem(StatusCodes.Status404NotFound, "Not found", r.Message),
                RedundancyErrorKind.NotServing => Problem(StatusCodes.Status409Conflict, "Process not serving", r.Message),
                RedundancyErrorKind.Restarting => Problem(StatusCodes.Status503ServiceUnavailable, "Process restarting", r.Message),
                RedundancyErrorKind.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict", r.Message),
                RedundancyErrorKind.NotProtected => Problem(StatusCodes.Status503ServiceUnavailable, "Not protected", r.Message, ProblemTypes.NotProtected),
                RedundancyErrorKind.OutcomeUnknown => Problem(StatusCodes.Status504GatewayTimeout, "Outcome unknown", r.Message, ProblemTypes.OutcomeUnknown),
                _ => Problem(StatusCodes.Status503ServiceUnavailable, "Unavailable", r.Message, ProblemTypes.Unavailable),
            };
        }
        catch (Exception e) when (Unwrap(e) is ArgumentException or FormatException)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid input", Unwrap(e).Message);
        }
        catch (Exception e) when (Unwrap(e) is TimeoutException or OrleansException or SiloUnavailableException)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "Unavailable", $"{subject} did not answer: {Unwrap(e).Message}");
        }
        catch (Exception e) when (Unwrap(e) is NotSupportedException and not PlatformNotSupportedException)
        {
            return Problem(StatusCodes.Status501NotImplemented, "Not available", Unwrap(e).Message);
        }
        catch (Exception e) when (Unwrap(e) is InvalidOperationException or PlatformNotSupportedException)
        {
            return Problem(StatusCodes.Status500InternalServerError, "Fault injection failed", Unwrap(e).Message);
        }
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerException: { } inner } ? Unwrap(inner) : e;

    private static IResult Problem(int status, string title, string detail, string? type = null) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail, Type = type });
}
