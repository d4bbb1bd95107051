using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Routing.Audit;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Routing;

/// <summary>
/// The audit after a restore (M8): the restored RIB against the card's forwarding table and every peer. Peers that cannot
/// answer within the short restore timeout (typically because they are restoring at the same moment) are audited right
/// after the process is ready. In synchronous mode an associated process ahead of the restored copy is a protocol
/// violation (I6); in periodic mode it closes the flush gap; after a release with rebuild it is where the state comes from.
/// </summary>
internal sealed partial class RoutingProcessGrain
{
    private List<string> _deferredPeers = [];
    private bool _deferredAuditRunning;

    public async Task<AuditReport> AuditAsync(CancellationToken cancellationToken)
    {
        var (fibBallot, fibSeq, fibEntries) = fib.Read(Name);
        var views = new List<AssociatedView> { new($"fib@{Context.CardId}", fibBallot, fibSeq, fibEntries, IsForwardingTable: true) };
        var findings = new List<AuditFinding>();
        if (!NewProcess)
        {
            foreach (var (peer, view, error) in await Task.WhenAll(Definition.Peers.Select(p => PeerViewAsync(p, Context.Options.RestoreAuditTimeout))))
            {
                if (view is not null)
                {
                    views.Add(view);
                }
                else
                {
                    _deferredPeers.Add(peer);
                    findings.Add(new AuditFinding { Target = "peer:" + peer, Action = $"deferred until ready: {error}" });
                }
            }
        }

        var report = await ReconcileAsync(views, recover: true);
        return report with { Findings = [.. findings, .. report.Findings] };
    }

    /// <summary>Audits the peers that did not answer during the restore; runs from the tick once ready.</summary>
    private async Task AuditDeferredPeersAsync()
    {
        _deferredAuditRunning = true;
        try
        {
            var peers = _deferredPeers;
            _deferredPeers = [];
            var views = new List<AssociatedView>();
            var findings = new List<AuditFinding>();
            foreach (var (peer, view, error) in await Task.WhenAll(peers.Select(p => PeerViewAsync(p, Context.Options.AuditTimeout))))
            {
                if (view is not null)
                {
                    views.Add(view);
                }
                else
                {
                    findings.Add(new AuditFinding { Target = "peer:" + peer, Action = $"not audited: {error}" });
                }
            }

            // The process serves by now: recovering from a peer could undo what it acknowledged since, so only while it wrote nothing.
            await WhenQuiescentAsync();
            var report = await ReconcileAsync(views, recover: Seq == RestoredCopy.Seq);
            AmendAudit(report with { Findings = [.. findings, .. report.Findings] });
        }
        finally
        {
            _deferredAuditRunning = false;
        }
    }

    private async Task<AuditReport> ReconcileAsync(List<AssociatedView> views, bool recover)
    {
        var findings = new List<AuditFinding>();
        int missing = 0, stale = 0, wrong = 0, repaired = 0, checkedCount = 0, recovered = 0, unrecoverable = 0, violations = 0;
        var (restoredBallot, restoredSeq) = RestoredCopy;
        // With no copy restored (a rebuild, or a periodic process whose first flush never came), any view with content is ahead.
        var authority = RebuildReason is not null || restoredSeq == 0 ? RoutingAudit.Freshest(views) : RoutingAudit.Authority(restoredBallot, restoredSeq, views);
        if (authority is not null)
        {
            var recovery = RoutingAudit.Recover(State, authority);
            // Only a process that shows nothing unprotected outside can tell lost acknowledged changes from a legitimate gap.
            var synchronous = Mode == ReplicationMode.Synchronous && Durability == DurabilityMode.RefuseUnprotected && RebuildReason is null;
            if (synchronous)
            {
                // I6: every acknowledged change was in the in-sync set; an associated process ahead of the restored copy means one was lost.
                violations = Math.Max(1, recovery.Recovered);
            }

            string action;
            if (recover && recovery.Recovered > 0)
            {
                await CommitLocalAsync(RoutingDelta.From(recovery.Update), atLeastSeq: RebuildReason is null ? authority.Seq : null);
                recovered = recovery.Recovered;
                unrecoverable = recovery.Removed.Count;
                action = RebuildReason is not null
                    ? $"rebuilt {recovered} best paths from {authority.Target} ({RebuildReason}); paths that were not best could not be rebuilt"
                    : $"recovered {recovered} best paths from {authority.Target} (its state ballot {authority.Ballot} seq {authority.Seq}, restored ballot {restoredBallot} seq {restoredSeq})"
                        + (unrecoverable > 0 ? $"; removed {unrecoverable} path(s) that would outrank it (withdrawn or changed in between, attributes unknown)" : "")
                        + "; changes to paths that were not best in between cannot be recovered";
            }
            else
            {
                unrecoverable = recovery.Recovered;
                action = $"{authority.Target} is ahead (its state ballot {authority.Ballot} seq {authority.Seq}, restored ballot {restoredBallot} seq {restoredSeq}) by {recovery.Recovered} best paths; not recovered: the process wrote since its restore";
            }

            if (synchronous)
            {
                action = "PROTOCOL VIOLATION (synchronous mode lost acknowledged changes): " + action;
            }

            findings.Add(new AuditFinding { Target = "restored state", Missing = recovery.Recovered, Stale = recovery.Removed.Count, Action = action });
        }

        var best = State.Rib.BestView;
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
                fib.Program(Name, DataBallot, Seq, diff.Repairs());
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

        return new AuditReport
        {
            Checked = checkedCount, Missing = missing, Stale = stale, Wrong = wrong, Repaired = repaired,
            Recovered = recovered, Unrecoverable = unrecoverable, Violations = violations, Findings = findings,
        };
    }

    private async Task<(string Peer, AssociatedView? View, string? Error)> PeerViewAsync(string peer, TimeSpan timeout)
    {
        try
        {
            var view = await GrainFactory.GetGrain<IRoutingProcess>(peer).GetReceivedFrom(Name).WaitAsync(timeout);
            return (peer, new AssociatedView("peer:" + peer, view.Epoch, view.Seq, AssociatedView.Compact(view.Routes), IsForwardingTable: false), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (peer, null, e is TimeoutException ? $"no answer within {timeout.TotalMilliseconds:0} ms (restoring at the same time?)" : e.Message);
        }
    }
}
