using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing.Peers;

namespace Redundancy.Orleans.Routing;

/// <summary>Advertising best paths to peer processes (associated processes, M8).</summary>
internal sealed partial class RoutingProcessGrain
{
    /// <summary>
    /// Sends a link's pending changes (or the whole table) to its peer. Runs beside requests on the grain's scheduler, so it
    /// reads the state only when no commit is in flight and every applied change is visible (hole 10): a peer never holds
    /// a change no replica holds.
    /// </summary>
    private async Task PumpAsync(PeerLink link)
    {
        link.Sending = true;
        try
        {
            var peer = GrainFactory.GetGrain<IRoutingProcess>(link.Peer);
            while (link.HasWork && LifecycleState == ProcessState.Ready)
            {
                await WhenQuiescentAsync();
                if (LifecycleState != ProcessState.Ready || Seq != VisibleSeq)
                {
                    return; // a change is still being protected: the next tick tries again
                }

                var (ballot, seq) = (DataBallot, Seq);
                PeerAdvertisement advertisement;
                if (link.NeedsFull)
                {
                    link.TakePending();
                    advertisement = new PeerAdvertisement { From = Name, Epoch = ballot, Seq = seq, Replace = true, Routes = State.BestPaths().Values.ToList() };
                }
                else
                {
                    var pending = link.TakePending();
                    advertisement = new PeerAdvertisement
                    {
                        From = Name,
                        Epoch = ballot,
                        PrevEpoch = link.AckedEpoch,
                        PrevSeq = link.AckedSeq,
                        Seq = seq,
                        Routes = pending.Values.OfType<Route>().ToList(),
                        Withdrawn = pending.Where(p => p.Value is null).Select(p => p.Key).ToList(),
                    };
                }

                link.NeedsFull = false;
                var outcome = await peer.Advertise(advertisement);
                switch (outcome)
                {
                    case AdvertisementOutcome.Accepted:
                        (link.AckedEpoch, link.AckedSeq) = (ballot, seq);
                        link.LastError = null;
                        break;
                    case AdvertisementOutcome.NeedFull:
                        link.NeedsFull = true;
                        break;
                    default:
                        link.LastError = $"peer '{link.Peer}' has seen a newer state of '{Name}' than ballot {ballot}";
                        return;
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The peer is restarting or unreachable: send it the whole table on the next tick.
            link.NeedsFull = true;
            link.LastError = e.Message;
        }
        finally
        {
            link.Sending = false;
        }
    }
}
