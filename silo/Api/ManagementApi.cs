using System.Globalization;
using System.Text.Json;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.History;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Management;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.Hosting;
using Redundancy.Orleans.Silo.Configuration;
using Redundancy.Orleans.Silo.Embedded;
using static Redundancy.Orleans.Silo.Api.ApiProblems;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Silo.Api;

/// <summary>
/// The management HTTP API of the control silo: status, processes and fault injection (the upgrade surface is
/// <see cref="UpgradeApi"/>). JSON; every error is a problem detail; described at <c>/openapi/v1.json</c>.
/// </summary>
internal static class ManagementApi
{
    private const int BadRequest = StatusCodes.Status400BadRequest;
    private const int NotFound = StatusCodes.Status404NotFound;
    private const int Conflict = StatusCodes.Status409Conflict;
    private const int NotImplemented = StatusCodes.Status501NotImplemented;

    public static void Map(WebApplication app, ChassisOptions chassis)
    {
        app.MapGet("/api/chassis", async (ChassisStatusReader reader, ChassisStartup startup) => Results.Json(await reader.ReadAsync() with { Startup = startup.Current }))
            .Describe<ChassisStatus>("Chassis", "GetChassis", "Cards, processes, the chassis manager, the slot map version and, in the embedded chassis, its start-up");
        app.MapGet("/api/events", async (string? after, string? limit, ChassisHistory history) =>
            {
                var page = Paging(after, limit);
                return page.Error ?? await Guard(() => history.GetEventsAsync(page.After, page.Limit));
            })
            .Describe<IReadOnlyList<ChassisEvent>>("Chassis", "GetEvents",
                "Chassis events after an id (at most 'limit', default 1000), from the durable history: failovers with their phases, switchovers, cards joining, upgrade steps", BadRequest);
        app.MapGet("/api/processes/{name}/audits", async (string name, string? after, string? limit, ChassisHistory history, ProcessDirectory processes) =>
            {
                var page = Paging(after, limit);
                if (page.Error is { } error)
                {
                    return error;
                }

                if (!ProcessNames.IsValid(name))
                {
                    return Problem(BadRequest, "Invalid input", $"Process name '{Shorten(name)}' is invalid: use 1..64 letters, digits, '-', '_' or '.'.");
                }

                // The chassis manager ('chassis') is a redundant process too, with its own restores and audits.
                if (name != IChassisManager.Key && !processes.Table.TryGet(name, out _))
                {
                    return Problem(NotFound, "Not found", $"Process '{name}' is not in the process table.");
                }

                return await Guard(() => history.GetAuditsAsync(name, page.After, page.Limit), $"The audit history of '{name}'");
            })
            .Describe<IReadOnlyList<AuditRecord>>("Processes", "GetAudits", "A process's audit history (every restore's audit report), after an id, at most 'limit'", BadRequest, NotFound);
        MetricsTargetsApi.Map(app);

        app.MapGet("/api/processes/{name}", (string name, ProcessDirectory processes) => Call(name, processes, p => p.GetStatus()))
            .Describe<ProcessStatus>("Processes", "GetProcess", "One process's status", BadRequest, NotFound);
        app.MapGet("/api/processes/{name}/routes", (string name, ProcessDirectory processes) => CallRouting(name, processes, p => p.GetRoutes()))
            .Describe<RoutingTableView>("Processes", "GetRoutes", "A process's routing table: every path with its best flag", BadRequest, NotFound, Conflict);
        app.MapGet("/api/processes/{name}/forwarding", (string name, ProcessDirectory processes) => CallRouting(name, processes, p => p.GetForwardingTable()))
            .Describe<ForwardingView>("Processes", "GetForwarding", "A process's entries in its card's forwarding table", BadRequest, NotFound, Conflict);
        app.MapPost("/api/processes/{name}/routes", async (string name, HttpRequest request, ProcessDirectory processes) =>
            {
                var update = await ReadBodyAsync<RouteUpdate>(request, chassis, "route batch");
                return update.Error ?? await CallRouting(name, processes, p => p.Update(update.Value!));
            })
            .AcceptsJson<RouteUpdate>()
            .Describe<UpdateResult>("Processes", "UpdateRoutes", "Announce and withdraw routes; answers once the batch is acknowledged",
                BadRequest, NotFound, Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        app.MapPost("/api/processes/{name}/crash", async (string name, string? poison, ProcessDirectory processes) =>
                !bool.TryParse(poison ?? "false", out var poisoned)
                    ? Problem(BadRequest, "Invalid input", $"Query 'poison' must be 'true' or 'false' (got '{poison}').")
                    : await Call(name, processes, async p =>
                    {
                        await p.Crash(poisoned);
                        return new ProcessCrashed { Process = name, Crashed = true, Poison = poisoned };
                    }))
            .Describe<ProcessCrashed>("Faults", "CrashProcess", "Fault injection: crash a process (poison=true also poisons its replicated state)", BadRequest, NotFound);
        app.MapPost("/api/processes/{name}/release", async (string name, string? rebuild, ProcessDirectory processes) =>
                !bool.TryParse(rebuild ?? "false", out var rebuilding)
                    ? Problem(BadRequest, "Invalid input", $"Query 'rebuild' must be 'true' or 'false' (got '{Shorten(rebuild!)}').")
                    : await Call(name, processes, async p =>
                    {
                        await p.Release(rebuilding);
                        return new ProcessReleased { Process = name, Released = true, Rebuild = rebuilding };
                    }))
            .Describe<ProcessReleased>("Processes", "ReleaseProcess",
                "Release a quarantined or unavailable process: it restarts and restores from its replicas, or with rebuild=true discards them and rebuilds from its forwarding table and peers", BadRequest, NotFound, Conflict);

        app.MapPost("/api/cards/{id}/kill", (string id, CardControl cards) => Guard(() => cards.KillAsync(id)))
            .Describe<CardSignalled>("Faults", "KillCard", "Embedded chassis: SIGKILL the card's process", BadRequest, NotFound, Conflict, NotImplemented);
        app.MapPost("/api/cards/{id}/hang", (string id, CardControl cards) => Guard(() => cards.HangAsync(id)))
            .Describe<CardSignalled>("Faults", "HangCard", "Embedded chassis: SIGSTOP the card's process", BadRequest, NotFound, Conflict, NotImplemented);
        app.MapPost("/api/cards/{id}/resume", (string id, CardControl cards) => Guard(() => Task.FromResult(cards.Resume(id))))
            .Describe<CardSignalled>("Faults", "ResumeCard", "Embedded chassis: SIGCONT a hung card's process", BadRequest, NotFound, NotImplemented);
        app.MapPost("/api/cards/{id}/declare-dead", (string id, CardControl cards) => Guard(() => cards.DeclareDeadAsync(id)))
            .Describe<CardDeclaredDead>("Faults", "DeclareCardDead", "Declare a card dead at once (membership TryKill), when something else already knows it is gone", BadRequest, NotFound, Conflict);
        app.MapPost("/api/cards", (CardControl cards) => Guard(() => Task.FromResult(cards.AddSpare())))
            .Describe<CardStarted>("Cards", "AddCard", "Embedded chassis: start a replacement card; it joins as a spare", NotImplemented);
        UpgradeApi.Map(app, chassis);
        FaultApi.Map(app);

        // The problem types a client must tell apart (not-protected, outcome-unknown, ...): GET on one explains it.
        app.MapGet("/problems/{name}", (string name) =>
            ProblemTypes.Explanations.TryGetValue("/problems/" + name, out var text)
                ? Results.Text(text)
                : Problem(NotFound, "Not found", $"No problem type '{Shorten(name)}': the API uses {string.Join(", ", ProblemTypes.Explanations.Keys)}."));
    }

    /// <summary>Default page of <c>GET /api/events</c> and <c>.../audits</c> when no <c>limit</c> is given.</summary>
    public const int DefaultLimit = 1000;

    /// <summary>The <c>after</c> and <c>limit</c> query of a paged read, or the problem that names the bad one.</summary>
    private static (long After, int Limit, IResult? Error) Paging(string? after, string? limit)
    {
        if (!long.TryParse(after ?? "0", NumberStyles.None, CultureInfo.InvariantCulture, out var from))
        {
            return (0, 0, Problem(BadRequest, "Invalid input", $"Query 'after' must be a whole number of 0 or more (got '{after}')."));
        }

        if (!int.TryParse(limit ?? DefaultLimit.ToString(CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count is < 1 or > ChassisHistory.MaxLimit)
        {
            return (0, 0, Problem(BadRequest, "Invalid input", $"Query 'limit' must be a whole number 1..{ChassisHistory.MaxLimit} (got '{limit}')."));
        }

        return (from, count, null);
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
                ? (null, Problem(BadRequest, "Invalid input", $"The body is JSON null; send a {what}."))
                : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problem(BadRequest, "Invalid JSON", $"The body is not a {what}: {e.Message}"));
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

    /// <summary>Runs an API action; an anticipated refusal becomes its problem, anything else goes to the central handler.</summary>
    public static async Task<IResult> Guard<T>(Func<Task<T>> action, string subject = "The chassis")
    {
        try
        {
            return Results.Json(await action());
        }
        catch (Exception e) when (For(e, subject) is { } problem)
        {
            return Results.Problem(problem);
        }
    }

    private static Task<IResult> Call<T>(string name, ProcessDirectory processes, Func<IRedundantProcess, Task<T>> action) =>
        ProcessNames.IsValid(name)
            ? Guard(() => action(processes.Get(name)), $"Process '{name}'")
            : Task.FromResult(Problem(BadRequest, "Invalid input", $"Process name '{Shorten(name)}' is invalid: use 1..64 letters, digits, '-', '_' or '.'."));

    /// <summary>A call on a routing process's own interface (its kind is the routing grain type).</summary>
    private static Task<IResult> CallRouting<T>(string name, ProcessDirectory processes, Func<IRoutingProcess, Task<T>> action) =>
        ProcessNames.IsValid(name)
            ? Guard(() => action(processes.Table.Get(name).Kind == RoutingSiloBuilderExtensions.Kind
                ? processes.Reference(name).AsReference<IRoutingProcess>()
                : throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"Process '{name}' is not a routing process.")), $"Process '{name}'")
            : Task.FromResult(Problem(BadRequest, "Invalid input", $"Process name '{Shorten(name)}' is invalid: use 1..64 letters, digits, '-', '_' or '.'."));

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "..." : text;
}
