using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Routing.Audit;
using Redundancy.Orleans.Routing.State;

namespace Redundancy.Orleans.Routing;

/// <summary>The audit after a restore (M8): RIB vs the card's forwarding table and vs every peer.</summary>
internal sealed partial class RoutingProcessGrain
{
    protected override async Task<AuditReport> AuditAsync(CancellationToken cancellationToken)
    {
        var restoredSeq = Seq;
        var (fibSeq, fibEntries) = fib.Snapshot(Name);
        var findings = new List<AuditFinding>();
        var views = new List<AssociatedView> { new($"fib@{Context.CardId}", fibSeq, fibEntries, IsForwardingTable: true) };
        // A process that never held anything (a fresh chassis) has nothing to audit against peers, and its
        // peers are usually starting at the same moment: asking them would only wait for their activation.
        var fresh = restoredSeq == 0 && fibSeq == 0;
        var peers = fresh ? [] : await Task.WhenAll(Definition.Peers.Select(PeerViewAsync));
        foreach (var (peer, view, error) in peers)
        {
            if (view is not null)
            {
                views.Add(new AssociatedView("peer:" + peer, view.Seq, view.Routes.ToDictionary(r => r.Prefix, StringComparer.Ordinal), IsForwardingTable: false));
            }
            else
            {
                findings.Add(new AuditFinding { Target = "peer:" + peer, Action = "not audited: " + error });
            }
        }

        int missing = 0, stale = 0, wrong = 0, repaired = 0, checkedCount = 0;
        if (RoutingAudit.Authority(restoredSeq, views) is { } authority)
        {
            // Periodic mode lost the last deltas: the associated process that saw them is authoritative.
            var (recovery, diff) = RoutingAudit.Recover(State.BestPaths(), authority);
            await CommitAsync(new RoutingDelta { Announce = recovery.Announce, Withdraw = recovery.Withdraw }, atLeastSeq: authority.Seq);
            findings.Add(new AuditFinding
            {
                Target = "restored state",
                Missing = diff.Missing.Count, Stale = diff.Stale.Count, Wrong = diff.Wrong.Count,
                Action = $"recovered {diff.Count} best paths from {authority.Target} (seq {restoredSeq} -> {authority.Seq})",
            });
            (missing, stale, wrong, repaired, checkedCount) = (diff.Missing.Count, diff.Stale.Count, diff.Wrong.Count, diff.Count, authority.Entries.Count);
        }

        var best = State.BestPaths();
        foreach (var view in views)
        {
            var diff = RouteDiff.Compare(best, view.Entries);
            checkedCount += Math.Max(best.Count, view.Entries.Count);
            missing += diff.Missing.Count;
            stale += diff.Stale.Count;
            wrong += diff.Wrong.Count;
            string action;
            if (view.IsForwardingTable)
            {
                fib.Program(Name, Seq, diff.Repairs());
                action = diff.Count == 0 ? "in sync" : $"reprogrammed {diff.Count} entries";
            }
            else
            {
                // Every peer link starts by sending the whole table, which repairs the peer.
                action = diff.Count == 0 ? "in sync" : $"re-advertising the full table ({diff.Count} differences)";
            }

            repaired += diff.Count;
            findings.Add(new AuditFinding { Target = view.Target, Missing = diff.Missing.Count, Stale = diff.Stale.Count, Wrong = diff.Wrong.Count, Action = action });
        }

        return new AuditReport { Checked = checkedCount, Missing = missing, Stale = stale, Wrong = wrong, Repaired = repaired, Findings = findings };
    }

    private async Task<(string Peer, PeerView? View, string? Error)> PeerViewAsync(string peer)
    {
        try
        {
            var view = await GrainFactory.GetGrain<IRoutingProcess>(peer).GetReceivedFrom(Name).WaitAsync(Context.Options.AuditTimeout);
            return (peer, view, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (peer, null, e is TimeoutException ? $"no answer within {Context.Options.AuditTimeout.TotalSeconds:0.#} s (restoring at the same time?)" : e.Message);
        }
    }
}
