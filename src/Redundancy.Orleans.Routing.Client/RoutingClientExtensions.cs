using Redundancy.Orleans.Client;

namespace Redundancy.Orleans.Routing;

/// <summary>
/// The routing application's endpoints of a chassis's management API (<c>api/processes/{name}/routes</c>,
/// <c>…/forwarding</c>), over a <see cref="ChassisClient"/>: the runtime's client knows nothing of routes. Refusals throw
/// <see cref="ChassisApiException"/> as every other call of the client.
/// </summary>
public static class RoutingClientExtensions
{
    /// <summary>A process's routing table.</summary>
    /// <exception cref="ArgumentException">No process name; nothing is sent.</exception>
    public static Task<RoutingTableView> GetRoutesAsync(this ChassisClient client, string process, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.GetAsync<RoutingTableView>($"{ChassisClient.ProcessPath(process)}/routes", ct);
    }

    /// <summary>A process's entries in its card's forwarding table.</summary>
    /// <exception cref="ArgumentException">No process name; nothing is sent.</exception>
    public static Task<ForwardingView> GetForwardingAsync(this ChassisClient client, string process, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.GetAsync<ForwardingView>($"{ChassisClient.ProcessPath(process)}/forwarding", ct);
    }

    /// <summary>Announces and withdraws routes; returns once acknowledged.</summary>
    /// <exception cref="ArgumentException">No process name, or no update; nothing is sent.</exception>
    public static Task<UpdateResult> UpdateAsync(this ChassisClient client, string process, RouteUpdate update, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var path = ChassisClient.ProcessPath(process) + "/routes";
        ArgumentNullException.ThrowIfNull(update);
        return client.SendAsync<UpdateResult>(HttpMethod.Post, path, update, ct);
    }

    /// <summary>
    /// Loads prefixes <paramref name="from"/> .. <paramref name="from"/> + <paramref name="count"/> - 1 of the synthetic table of
    /// <paramref name="prefixes"/> prefixes generated on the server from <paramref name="seed"/> into a process; returns once
    /// every batch is acknowledged. Loading a window again changes nothing.
    /// </summary>
    /// <exception cref="ArgumentException">No process name; nothing is sent.</exception>
    public static Task<TableLoaded> LoadTableAsync(this ChassisClient client, string process, int prefixes, int seed = 1, int from = 0, int? count = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var query = FormattableString.Invariant($"/table?routes={prefixes}&seed={seed}&from={from}") + (count is { } n ? FormattableString.Invariant($"&count={n}") : "");
        return client.SendAsync<TableLoaded>(HttpMethod.Post, ChassisClient.ProcessPath(process) + query, null, ct);
    }
}
