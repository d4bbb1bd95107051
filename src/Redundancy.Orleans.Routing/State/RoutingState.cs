using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Routing.State.Compact;

namespace Redundancy.Orleans.Routing.State;

/// <summary>
/// The hot state of a routing process: its RIB and what it received from peers. Crosses the wire in the
/// flat form of <see cref="RoutingStateConverter"/>.
/// </summary>
public sealed class RoutingState : IHotState<RoutingDelta>, IVerifiableHotState
{
    /// <summary>Prefix → its paths, one per origin, held compactly.</summary>
    public RibTable Rib { get; init; } = new();

    /// <summary>Peer → what it advertised to us.</summary>
    public Dictionary<string, ReceivedRoutes> FromPeers { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The schema this state was decoded from (U1); 0 when it was built here, not decoded.</summary>
    public int LoadedSchema { get; init; }

    /// <summary>Number of paths in the RIB.</summary>
    public int Size => Rib.PathCount;

    /// <summary>
    /// SHA-256 of the RIB's paths as sorted text lines (prefix, next hop, metric, origin): the same in every build and
    /// schema, so a shadow restore of a newer build compares with an older build's primary (U1).
    /// </summary>
    public string Fingerprint()
    {
        var lines = Rib.Routes()
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
        // Every route is turned into its compact form before a table changes, so a route that cannot be (never one the
        // validator let in) leaves the state as it was instead of half-applied.
        var withdraw = delta.Withdraw.Select(RoutePrefix.Parse).ToList();
        var announce = delta.Announce.Select(RoutePath.Keyed).ToList();
        if (delta.FromPeer is { } peer)
        {
            if (!FromPeers.TryGetValue(peer, out var received) || delta.ReplacePeer)
            {
                FromPeers[peer] = received = new ReceivedRoutes();
            }

            foreach (var prefix in withdraw)
            {
                received.Paths.Remove(prefix);
            }

            foreach (var (prefix, path) in announce)
            {
                received.Paths[prefix] = path;
            }

            received.Epoch = delta.PeerEpoch;
            received.Seq = delta.PeerSeq;
            return;
        }

        foreach (var prefix in withdraw)
        {
            Rib.Remove(prefix);
        }

        foreach (var (prefix, path) in announce)
        {
            Rib.Set(prefix, path);
        }
    }

    /// <summary>The best path of a prefix: lowest administrative distance, then metric, then next hop.</summary>
    public Route? Best(string prefix) => Rib.Best(prefix);

    /// <summary>Every prefix's best path.</summary>
    public Dictionary<string, Route> BestPaths()
    {
        var best = new Dictionary<string, Route>(Rib.Count, StringComparer.Ordinal);
        foreach (var (prefix, path) in Rib.BestView)
        {
            var text = prefix.ToString();
            best[text] = path.ToRoute(text);
        }

        return best;
    }
}

/// <summary>Routes received from one peer.</summary>
public sealed class ReceivedRoutes
{
    /// <summary>Sender epoch.</summary>
    public long Epoch { get; set; }

    /// <summary>Sender seq.</summary>
    public long Seq { get; set; }

    /// <summary>Number of prefixes the peer advertised.</summary>
    public int Count => Paths.Count;

    /// <summary>Prefix → route, as records (made on each read: the routes are held compactly).</summary>
    public IReadOnlyDictionary<string, Route> Routes => ToRoutes().ToDictionary(r => r.Prefix, StringComparer.Ordinal);

    /// <summary>Prefix → the peer's path, compactly.</summary>
    internal Dictionary<RoutePrefix, RoutePath> Paths { get; } = [];

    /// <summary>The routes as records, in no particular order.</summary>
    internal List<Route> ToRoutes() => [.. Paths.Select(e => e.Value.ToRoute(e.Key.ToString()))];
}
