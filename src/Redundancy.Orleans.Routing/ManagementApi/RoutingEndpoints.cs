using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using System.Diagnostics;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Redundancy.Orleans.ManagementApi;
using Redundancy.Orleans.Routing.Configuration;
using Redundancy.Orleans.Routing.Workload;
using static Redundancy.Orleans.ManagementApi.ManagementResults;

namespace Redundancy.Orleans.Routing.ManagementApi;

/// <summary>
/// The routing application's endpoints in the management API (registered by <c>AddRoutingApplication</c>): a process's
/// routing table, its entries in its card's forwarding table, route batches, and a synthetic table loaded window by window.
/// </summary>
internal sealed class RoutingEndpoints : IManagementApiEndpoints
{
    private const int BadRequest = StatusCodes.Status400BadRequest;
    private const int NotFound = StatusCodes.Status404NotFound;
    private const int Conflict = StatusCodes.Status409Conflict;

    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/processes/{name}/routes", (string name, HttpContext context) => CallProcess<IRoutingProcess, RoutingTableView>(context, name, p => p.GetRoutes()))
            .Describe<RoutingTableView>("Processes", "GetRoutes", "A process's routing table: every path with its best flag", BadRequest, NotFound, Conflict);
        api.MapGet("/processes/{name}/forwarding", (string name, HttpContext context) => CallProcess<IRoutingProcess, ForwardingView>(context, name, p => p.GetForwardingTable()))
            .Describe<ForwardingView>("Processes", "GetForwarding", "A process's entries in its card's forwarding table", BadRequest, NotFound, Conflict);
        api.MapPost("/processes/{name}/routes", async (string name, HttpContext context) =>
            {
                var update = await ReadBodyAsync<RouteUpdate>(context.Request, "route batch");
                return update.Error ?? await CallProcess<IRoutingProcess, UpdateResult>(context, name, p => p.Update(update.Value!));
            })
            .AcceptsJson<RouteUpdate>()
            .Describe<UpdateResult>("Processes", "UpdateRoutes", "Announce and withdraw routes; answers once the batch is acknowledged",
                BadRequest, NotFound, Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        api.MapPost("/processes/{name}/table", (string name, string? routes, string? seed, string? from, string? count, HttpContext context, IOptions<RoutingOptions> options) =>
            {
                var window = TableWindow.Parse(routes, seed, from, count);
                return window.Error is { } error
                    ? Task.FromResult(Problem(BadRequest, "Invalid input", error))
                    : CallProcess<IRoutingProcess, TableLoaded>(context, name, p => LoadAsync(name, p, window, options.Value.MaxBatchSize, context.RequestAborted));
            })
            .Describe<TableLoaded>("Processes", "LoadTable",
                "Load a window of a synthetic Internet table (generated on the server from a seed: real prefix-length mix, 1 in 5 IPv6, several paths for some prefixes) into a process, batch by batch; answers once every batch is acknowledged",
                BadRequest, NotFound, Conflict);
    }

    private static async Task<TableLoaded> LoadAsync(string name, IRoutingProcess process, TableWindow window, int batchSize, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var result = new TableLoaded { Process = name, Prefixes = window.Prefixes, Seed = window.Seed, From = window.From, Count = window.Count };
        foreach (var batch in SyntheticTable.Routes(window.Seed, window.Prefixes, window.From, window.Count).Chunk(batchSize))
        {
            ct.ThrowIfCancellationRequested();
            var ack = await process.Update(new RouteUpdate { Announce = batch });
            result = result with { Paths = result.Paths + batch.Length, Batches = result.Batches + 1, Protection = ack.Protection };
        }

        return result with { ElapsedMs = watch.Elapsed.TotalMilliseconds };
    }
}
