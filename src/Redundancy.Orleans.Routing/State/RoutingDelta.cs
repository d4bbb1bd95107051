namespace Redundancy.Orleans.Routing.State;

/// <summary>
/// One replicated change of a routing process: a local batch (withdrawals, then announcements) or,
/// with <see cref="FromPeer"/>, an advertisement received from a peer. Ids are never renumbered.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RoutingDelta
{
    /// <summary>Routes added or replaced.</summary>
    [Id(0)] public IReadOnlyList<Route> Announce { get; init; } = [];

    /// <summary>Prefixes removed (every origin; for a peer delta, the peer's path).</summary>
    [Id(1)] public IReadOnlyList<string> Withdraw { get; init; } = [];

    /// <summary>Set for a peer advertisement: the sender.</summary>
    [Id(2)] public string? FromPeer { get; init; }

    /// <summary>Peer advertisement: sender epoch.</summary>
    [Id(3)] public long PeerEpoch { get; init; }

    /// <summary>Peer advertisement: sender seq reached.</summary>
    [Id(4)] public long PeerSeq { get; init; }

    /// <summary>Peer advertisement: replaces everything held from the sender.</summary>
    [Id(5)] public bool ReplacePeer { get; init; }

    /// <summary>A local change from a route batch.</summary>
    public static RoutingDelta From(RouteUpdate update) => new() { Announce = update.Announce, Withdraw = update.Withdraw };
}
