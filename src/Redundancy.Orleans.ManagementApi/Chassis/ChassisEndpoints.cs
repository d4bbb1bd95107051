using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Configuration;
using Redundancy.Orleans.History;
using Redundancy.Orleans.Management;
using Redundancy.Orleans.Processes;
using static Redundancy.Orleans.ManagementApi.ManagementResults;
using static Redundancy.Orleans.ManagementApi.Statuses;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>The chassis as a whole: its status, its durable event history, a process's audits, Prometheus discovery.</summary>
internal static class ChassisEndpoints
{
    /// <summary>Default page of <c>GET /api/events</c> and <c>.../audits</c> when no <c>limit</c> is given.</summary>
    public const int DefaultLimit = 1000;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/chassis", async (ChassisStatusReader reader, HttpContext context) =>
                Results.Json(await reader.ReadAsync() with { Startup = context.RequestServices.GetService<IChassisStartup>()?.Current }))
            .Describe<ChassisStatus>("Chassis", "GetChassis", "Cards, processes, the chassis manager, the slot map version and, in the embedded chassis, its start-up");
        api.MapGet("/events", async (string? after, string? limit, ChassisHistory history) =>
            {
                var page = Paging(after, limit);
                return page.Error ?? await Guard(() => history.GetEventsAsync(page.After, page.Limit));
            })
            .Describe<IReadOnlyList<ChassisEvent>>("Chassis", "GetEvents",
                "Chassis events after an id (at most 'limit', default 1000), from the durable history: failovers with their phases, switchovers, cards joining, upgrade steps", BadRequest);
        api.MapGet("/processes/{name}/audits", async (string name, string? after, string? limit, ChassisHistory history, ProcessDirectory processes) =>
            {
                var page = Paging(after, limit);
                if (page.Error is { } error)
                {
                    return error;
                }

                if (!ProcessNames.IsValid(name))
                {
                    return InvalidProcessName(name);
                }

                // The chassis manager ('chassis') is a redundant process too, with its own restores and audits.
                if (name != IChassisManager.Key && !processes.Table.TryGet(name, out _))
                {
                    return Problem(NotFound, "Not found", $"Process '{name}' is not in the process table.");
                }

                return await Guard(() => history.GetAuditsAsync(name, page.After, page.Limit), $"The audit history of '{name}'");
            })
            .Describe<IReadOnlyList<AuditRecord>>("Processes", "GetAudits", "A process's audit history (every restore's audit report), after an id, at most 'limit'", BadRequest, NotFound);
        api.MapGet("/metrics/targets", (CardDirectory cards) => Results.Json(MetricsTargets.From(cards.GetCards().Select(c => c.Card)).ToList()))
            .Describe<IReadOnlyList<MetricsTarget>>("Operations", "GetMetricsTargets", "Prometheus HTTP service discovery: every live card's metrics endpoint");
    }

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
}
