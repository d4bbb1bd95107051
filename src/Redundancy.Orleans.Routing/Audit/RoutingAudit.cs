using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Routing.State.Compact;

namespace Redundancy.Orleans.Routing.Audit;

/// <summary>
/// The audit after a restore (M8), as pure logic. If an associated process reflects a later state than the restored copy,
/// changes were lost between them: legitimately in periodic mode (the last flush interval), a protocol violation in
/// synchronous mode (I6). The view is then the authority for best paths and the RIB is recovered from it — never by
/// bringing back a path that was withdrawn (hole 7). Then every associated process is compared with the RIB's best paths.
/// </summary>
internal static class RoutingAudit
{
    /// <summary>The view to recover from, when one is ahead of the restored copy (the forwarding table first on a tie).</summary>
    public static AssociatedView? Authority(long restoredBallot, long restoredSeq, IEnumerable<AssociatedView> views) =>
        views.Where(v => v.IsAheadOf(restoredBallot, restoredSeq))
            .OrderByDescending(v => v.Ballot).ThenByDescending(v => v.Seq).ThenByDescending(v => v.IsForwardingTable).FirstOrDefault();

    /// <summary>The freshest view that holds anything, for a rebuild from associated processes.</summary>
    public static AssociatedView? Freshest(IEnumerable<AssociatedView> views) =>
        views.Where(v => v.Entries.Count > 0)
            .OrderByDescending(v => v.Ballot).ThenByDescending(v => v.Seq).ThenByDescending(v => v.IsForwardingTable).FirstOrDefault();

    /// <summary>
    /// The local change that makes the RIB's best paths equal the authority's view. A prefix the authority lacks was
    /// withdrawn (a local withdrawal removes every path of a prefix): all its paths go. A prefix whose best path differs:
    /// the authority's path is set, and every path of ours that would outrank it goes too, since it must have been
    /// withdrawn or changed in between (its new attributes are unknown: counted as unrecoverable, never brought back).
    /// Paths that rank below it stay; whether they changed in between cannot be known from best paths.
    /// </summary>
    public static Recovery Recover(RoutingState state, AssociatedView authority)
    {
        var announce = new List<Route>();
        var withdraw = new List<string>();
        var removed = new List<Route>();
        var recovered = 0;
        foreach (var prefix in state.Rib.Compact.Keys)
        {
            if (!authority.Entries.ContainsKey(prefix))
            {
                withdraw.Add(prefix.ToString());
                recovered++;
            }
        }

        foreach (var (prefix, best) in authority.Entries)
        {
            var held = state.Rib.TryGetPaths(prefix, out var paths);
            if (held && paths.Best() == best)
            {
                continue;
            }

            recovered++;
            var text = prefix.ToString();
            if (!held)
            {
                announce.Add(best.ToRoute(text));
                continue;
            }

            // Replace the prefix's paths: keep those ranking below the authority's, drop those that would outrank it.
            withdraw.Add(text);
            for (var i = 0; i < paths.Count; i++)
            {
                var path = paths[i];
                if (path.Origin == best.Origin)
                {
                    continue;
                }

                (RoutePath.Compare(path, best) < 0 ? removed : announce).Add(path.ToRoute(text));
            }

            announce.Add(best.ToRoute(text));
        }

        return new Recovery(new RouteUpdate { Announce = announce, Withdraw = withdraw }, recovered, removed);
    }
}

/// <summary>A recovery from an associated process: the change, how many prefixes it corrects, which paths it had to drop.</summary>
internal sealed record Recovery(RouteUpdate Update, int Recovered, IReadOnlyList<Route> Removed);
