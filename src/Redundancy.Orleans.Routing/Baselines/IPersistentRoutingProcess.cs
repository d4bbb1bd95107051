namespace Redundancy.Orleans.Routing.Baselines;

/// <summary>
/// The baseline a user would pick instead of hot-state replication: the same routing table kept with
/// Orleans persistent state (written to grain storage, Redis in the benchmark, on every update).
/// For measurements only; it has no replicas, no audit and no peers.
/// </summary>
public interface IPersistentRoutingProcess : IGrainWithStringKey
{
    /// <summary>Applies a batch and writes the whole state to storage before acknowledging.</summary>
    Task<UpdateResult> Update(RouteUpdate update);

    /// <summary>The whole routing table.</summary>
    Task<RoutingTableView> GetRoutes();
}
