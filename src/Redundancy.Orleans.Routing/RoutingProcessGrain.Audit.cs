using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Routing.Audit;
using Redundancy.Orleans.Routing.State;

namespace Redundancy.Orleans.Routing;

/// <summary>
/// The audit after a restore (M8): the restored RIB against the card's forwarding table and every peer.
/// Peers that cannot answer within the short restore timeout (typically because they are restoring at the
/// same moment) are audited right after the process is ready.
/// </summary>
internal sealed partial class RoutingProcessGrain
{
    private List<string> _deferredPeers = [];
    private bool _deferredAuditRunning;

    protected override async Task<AuditReport> AuditAsync(CancellationToken cancellationToken)
    {
        var restoredSeq = Seq;
        var (fibSeq, fibEntries) = fib.Snapshot(Name);
        var views = new List<AssociatedView> { new($"fib@{Context.CardId}", fibSeq, fibEntries, IsForwardingTable: true) };

        // A process that never held anything (a fresh chassis) has nothing to audit against peers, and its
        // peers are usually starting at the same moment.
        var fresh = restoredSeq == 0 && fibSeq == 0;
        var findings = new List<AuditFinding>();
        if (!fresh)
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

        var report = await ReconcileAsync(restoredSeq, views);
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

            var report = await ReconcileAsync(Seq, views);
            AmendAudit(report with { Findings = [.. findings, .. report.Findings] });
        }
        finally
        {
            _deferredAuditRunning = false;
        }
    }

    private async Task<AuditReport> ReconcileAsync(long restoredSeq, List<AssociatedView> views)
    {
        var findings = new List<AuditFinding>();
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

    private async Task<(string Peer, AssociatedView? View, string? Error)> PeerViewAsync(string peer, TimeSpan timeout)
    {
        try
        {
            var view = await GrainFactory.GetGrain<IRoutingProcess>(peer).GetReceivedFrom(Name).WaitAsync(timeout);
            return (peer, new AssociatedView("peer:" + peer, view.Seq, view.Routes.ToDictionary(r => r.Prefix, StringComparer.Ordinal), IsForwardingTable: false), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (peer, null, e is TimeoutException ? $"no answer within {timeout.TotalMilliseconds:0} ms (restoring at the same time?)" : e.Message);
        }
    }
}
