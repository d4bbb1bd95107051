using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Routing.State;

/// <summary>
/// The hot state of a routing process: its RIB and what it received from peers. Crosses the wire in the
/// flat form of <see cref="RoutingStateConverter"/>.
/// </summary>
public sealed class RoutingState : IHotState<RoutingDelta>, IVerifiableHotState
{
    /// <summary>Prefix → origin → path.</summary>
    public Dictionary<string, Dictionary<string, Route>> Rib { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Peer → what it advertised to us.</summary>
    public Dictionary<string, ReceivedRoutes> FromPeers { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The schema this state was decoded from (U1); 0 when it was built here, not decoded.</summary>
    public int LoadedSchema { get; init; }

    /// <summary>Number of paths in the RIB.</summary>
    public int Size => Rib.Values.Sum(p => p.Count);

    /// <summary>
    /// SHA-256 of the RIB's paths as sorted text lines (prefix, next hop, metric, origin): the same in every build and
    /// schema, so a shadow restore of a newer build compares with an older build's primary (U1).
    /// </summary>
    public string Fingerprint()
    {
        var lines = Rib.Values.SelectMany(p => p.Values)
            .Select(r => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.Prefix} {r.NextHop} {r.Metric} {r.Origin}"))
            .Order(StringComparer.Ordinal);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var line in lines)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <inheritdoc />
    public void Apply(RoutingDelta delta)
    {
        if (delta.FromPeer is { } peer)
        {
            if (!FromPeers.TryGetValue(peer, out var received) || delta.ReplacePeer)
            {
                FromPeers[peer] = received = new ReceivedRoutes();
            }

            foreach (var prefix in delta.Withdraw)
            {
                received.Routes.Remove(prefix);
            }

            foreach (var route in delta.Announce)
            {
                received.Routes[route.Prefix] = route;
            }

            received.Epoch = delta.PeerEpoch;
            received.Seq = delta.PeerSeq;
            return;
        }

        foreach (var prefix in delta.Withdraw)
        {
            Rib.Remove(prefix);
        }

        foreach (var route in delta.Announce)
        {
            if (!Rib.TryGetValue(route.Prefix, out var paths))
            {
                Rib[route.Prefix] = paths = new Dictionary<string, Route>(1, StringComparer.Ordinal);
            }

            paths[route.Origin] = route;
        }
    }

    /// <summary>The best path of a prefix: lowest administrative distance, then metric, then next hop.</summary>
    public Route? Best(string prefix) => Rib.TryGetValue(prefix, out var paths) ? SelectBest(paths.Values) : null;

    /// <summary>Every prefix's best path.</summary>
    public Dictionary<string, Route> BestPaths()
    {
        var best = new Dictionary<string, Route>(Rib.Count, StringComparer.Ordinal);
        foreach (var (prefix, paths) in Rib)
        {
            if (SelectBest(paths.Values) is { } route)
            {
                best[prefix] = route;
            }
        }

        return best;
    }

    internal static Route? SelectBest(IEnumerable<Route> paths)
    {
        Route? best = null;
        foreach (var p in paths)
        {
            if (best is null || Compare(p, best) < 0)
            {
                best = p;
            }
        }

        return best;
    }

    internal static int Compare(Route a, Route b)
    {
        var c = (RouteOrigins.Distance(a.Origin) ?? int.MaxValue).CompareTo(RouteOrigins.Distance(b.Origin) ?? int.MaxValue);
        if (c == 0)
        {
            c = a.Metric.CompareTo(b.Metric);
        }

        return c != 0 ? c : string.CompareOrdinal(a.NextHop, b.NextHop);
    }
}

/// <summary>Routes received from one peer.</summary>
public sealed class ReceivedRoutes
{
    /// <summary>Sender epoch.</summary>
    public long Epoch { get; set; }

    /// <summary>Sender seq.</summary>
    public long Seq { get; set; }

    /// <summary>Prefix → route.</summary>
    public Dictionary<string, Route> Routes { get; init; } = new(StringComparer.Ordinal);
}
