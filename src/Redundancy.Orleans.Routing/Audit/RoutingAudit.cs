namespace Redundancy.Orleans.Routing.Audit;

/// <summary>
/// The audit after a restore (M8), as pure logic. First, if an associated process saw a later seq than
/// the restored state (periodic mode lost the last deltas), its view is authoritative for the best paths
/// and the RIB is recovered from it. Then every associated process is compared with the RIB's best paths.
/// </summary>
internal static class RoutingAudit
{
    /// <summary>The view to recover from, when one is ahead of the restored state (forwarding table first on a tie).</summary>
    public static AssociatedView? Authority(long restoredSeq, IEnumerable<AssociatedView> views) =>
        views.Where(v => v.Seq > restoredSeq).OrderByDescending(v => v.Seq).ThenByDescending(v => v.IsForwardingTable).FirstOrDefault();

    /// <summary>The local change that makes the RIB's best paths equal the authority's view.</summary>
    public static (RouteUpdate Recovery, RouteDiff Diff) Recover(IReadOnlyDictionary<string, Route> best, AssociatedView authority)
    {
        var diff = RouteDiff.Compare(authority.Entries, best);
        var update = new RouteUpdate
        {
            Announce = diff.Missing.Concat(diff.Wrong).ToList(),
            Withdraw = diff.Stale,
        };
        return (update, diff);
    }
}
