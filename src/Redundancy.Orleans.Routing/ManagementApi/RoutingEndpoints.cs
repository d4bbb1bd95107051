using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Redundancy.Orleans.ManagementApi;
using static Redundancy.Orleans.ManagementApi.ManagementResults;

namespace Redundancy.Orleans.Routing.ManagementApi;

/// <summary>
/// The routing application's endpoints in the management API (registered by <c>AddRoutingApplication</c>): a process's
/// routing table, its entries in its card's forwarding table, and route batches.
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
    }
}
