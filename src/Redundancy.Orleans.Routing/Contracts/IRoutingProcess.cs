using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Routing;

/// <summary>
/// A routing process: RIB, best-path selection, forwarding-table programming, peer advertisement.
/// Versioned (U1): a rolling upgrade checks that the new build's version is compatible before it touches service.
/// </summary>
[global::Orleans.CodeGeneration.Version(RoutingBuild.InterfaceVersion)]
public interface IRoutingProcess : IGrainWithStringKey
{
    /// <summary>Applies a batch; returns once it is protected (synchronous mode). Bad input changes nothing.</summary>
    Task<UpdateResult> Update(RouteUpdate update);

    /// <summary>The whole routing table.</summary>
    Task<RoutingTableView> GetRoutes();

    /// <summary>This process's entries in its card's forwarding table.</summary>
    Task<ForwardingView> GetForwardingTable();

    /// <summary>A peer's best-path changes.</summary>
    Task<AdvertisementOutcome> Advertise(PeerAdvertisement advertisement);

    /// <summary>What this process holds from <paramref name="peer"/>.</summary>
    Task<PeerView> GetReceivedFrom(string peer);
}
