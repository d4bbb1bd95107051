using Microsoft.AspNetCore.Routing;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>
/// An application's own endpoints in the management API (the routing application's routes and forwarding table): every
/// registered one is mapped into the API's group by <c>MapRedundancyManagementApi</c>, so it shares the prefix, the
/// token, the problem details and the OpenAPI document. Use <see cref="ManagementResults"/> and
/// <see cref="ManagementEndpointConventions"/> to answer and describe them like the API's own.
/// </summary>
public interface IManagementApiEndpoints
{
    /// <summary>Maps the application's endpoints into the management API's group.</summary>
    void Map(IEndpointRouteBuilder api);
}
