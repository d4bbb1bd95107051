namespace Redundancy.Orleans.Routing.State;

/// <summary>
/// Wire form of <see cref="RoutingState"/>: flat route arrays instead of nested dictionaries. A snapshot of
/// 10,000 routes otherwise carries 10,000 inner dictionaries, each with its comparer, and restore time is
/// mostly that (measured by the benchmark's "restore in process"). Ids are never renumbered.
/// </summary>
[GenerateSerializer]
public struct RoutingStateSurrogate
{
    /// <summary>Every path of the RIB.</summary>
    [Id(0)] public Route[] Routes;

    /// <summary>What each peer advertised.</summary>
    [Id(1)] public PeerRoutesSurrogate[] Peers;
}

/// <summary>Wire form of what one peer advertised.</summary>
[GenerateSerializer]
public struct PeerRoutesSurrogate
{
    /// <summary>The peer.</summary>
    [Id(0)] public string Peer;

    /// <summary>Its epoch.</summary>
    [Id(1)] public long Epoch;

    /// <summary>Its seq.</summary>
    [Id(2)] public long Seq;

    /// <summary>Its routes.</summary>
    [Id(3)] public Route[] Routes;
}

/// <summary>Converts <see cref="RoutingState"/> to and from its flat wire form.</summary>
[RegisterConverter]
public sealed class RoutingStateConverter : IConverter<RoutingState, RoutingStateSurrogate>
{
    /// <inheritdoc />
    public RoutingState ConvertFromSurrogate(in RoutingStateSurrogate surrogate)
    {
        var state = new RoutingState();
        state.Apply(new RoutingDelta { Announce = surrogate.Routes ?? [] });
        foreach (var peer in surrogate.Peers ?? [])
        {
            state.Apply(new RoutingDelta { FromPeer = peer.Peer, PeerEpoch = peer.Epoch, PeerSeq = peer.Seq, ReplacePeer = true, Announce = peer.Routes ?? [] });
        }

        return state;
    }

    /// <inheritdoc />
    public RoutingStateSurrogate ConvertToSurrogate(in RoutingState value)
    {
        var routes = new Route[value.Size];
        var i = 0;
        foreach (var paths in value.Rib.Values)
        {
            foreach (var route in paths.Values)
            {
                routes[i++] = route;
            }
        }

        return new RoutingStateSurrogate
        {
            Routes = routes,
            Peers = value.FromPeers.Select(p => new PeerRoutesSurrogate { Peer = p.Key, Epoch = p.Value.Epoch, Seq = p.Value.Seq, Routes = [.. p.Value.Routes.Values] }).ToArray(),
        };
    }
}
