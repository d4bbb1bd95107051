using Redundancy.Orleans.Routing.State.Compact;

namespace Redundancy.Orleans.Routing.Audit;

/// <summary>
/// What one associated process (the card's forwarding table, a peer) holds of a process's best paths, compactly, and the
/// state of the process they reflect: its data ballot and seq when it programmed or advertised them.
/// </summary>
internal sealed record AssociatedView(string Target, long Ballot, long Seq, IReadOnlyDictionary<RoutePrefix, RoutePath> Entries, bool IsForwardingTable)
{
    /// <summary>True when this view reflects a later state than <c>(ballot, seq)</c>.</summary>
    public bool IsAheadOf(long ballot, long seq) => Ballot > ballot || Ballot == ballot && Seq > seq;

    /// <summary>The compact form of routes a peer sent as records.</summary>
    public static Dictionary<RoutePrefix, RoutePath> Compact(IEnumerable<Route> routes) =>
        new(routes.Select(RoutePath.Keyed));
}
