using Microsoft.Extensions.Options;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing.Audit;
using Redundancy.Orleans.Routing.Forwarding;
using Redundancy.Orleans.Routing.Hosting;
using Redundancy.Orleans.Routing.Peers;
using Redundancy.Orleans.Routing.State;

namespace Redundancy.Orleans.Routing;

/// <summary>
/// The routing reference application: a RIB of IPv4/IPv6 routes with best-path selection, programmed
/// into the card's forwarding table (M10) and advertised to peer processes, made redundant by the runtime.
/// </summary>
internal sealed partial class RoutingProcessGrain(RedundancyContext context, ForwardingTable fib, IOptions<RoutingOptions> options)
    : RedundantProcessGrain<RoutingState, RoutingDelta>(context), IRoutingProcess
{
    private readonly Dictionary<string, PeerLink> _links = new(StringComparer.Ordinal);

    public async Task<UpdateResult> Update(RouteUpdate update)
    {
        EnsureServing();
        var errors = RouteValidator.Validate(update, options.Value.MaxBatchSize);
        if (errors.Count > 0)
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput, RouteValidator.Summarize(errors));
        }

        var withdrawn = update.Withdraw.Count(State.Rib.ContainsKey);
        var seq = await CommitLocalAsync(new RoutingDelta { Announce = update.Announce, Withdraw = update.Withdraw });
        return new UpdateResult { Seq = seq, Epoch = Epoch, Announced = update.Announce.Count, Withdrawn = withdrawn, Mode = Mode.ToString() };
    }

    public Task<RoutingTableView> GetRoutes()
    {
        EnsureServing();
        var routes = new List<RouteEntry>(State.Size);
        foreach (var (prefix, paths) in State.Rib.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var best = RoutingState.SelectBest(paths.Values);
            routes.AddRange(paths.Values.OrderBy(r => r.Origin, StringComparer.Ordinal).Select(r => new RouteEntry { Route = r, Best = r == best }));
        }

        return Task.FromResult(new RoutingTableView
        {
            Process = Name,
            Seq = Seq,
            Epoch = Epoch,
            Routes = routes,
            ReceivedFromPeers = State.FromPeers.ToDictionary(p => p.Key, p => p.Value.Routes.Count, StringComparer.Ordinal),
        });
    }

    public Task<ForwardingView> GetForwardingTable()
    {
        var (seq, entries) = fib.Snapshot(Name);
        return Task.FromResult(new ForwardingView { CardId = Context.CardId, Seq = seq, Entries = entries.Values.OrderBy(r => r.Prefix, StringComparer.Ordinal).ToList() });
    }

    public async Task<AdvertisementOutcome> Advertise(PeerAdvertisement advertisement)
    {
        EnsureServing();
        if (!Definition.Peers.Contains(advertisement.From))
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"'{advertisement.From}' is not a peer of '{Name}' (peers: {string.Join(", ", Definition.Peers)}).");
        }

        State.FromPeers.TryGetValue(advertisement.From, out var held);
        if (held is not null && advertisement.Epoch < held.Epoch)
        {
            return AdvertisementOutcome.StaleEpoch;
        }

        if (!advertisement.Replace && (held?.Seq ?? 0) != advertisement.PrevSeq)
        {
            return AdvertisementOutcome.NeedFull;
        }

        await CommitAsync(new RoutingDelta
        {
            FromPeer = advertisement.From,
            PeerEpoch = advertisement.Epoch,
            PeerSeq = advertisement.Seq,
            ReplacePeer = advertisement.Replace,
            Announce = advertisement.Routes,
            Withdraw = advertisement.Withdrawn,
        });
        return AdvertisementOutcome.Accepted;
    }

    public Task<PeerView> GetReceivedFrom(string peer)
    {
        EnsureServing();
        return Task.FromResult(State.FromPeers.TryGetValue(peer, out var held)
            ? new PeerView { Epoch = held.Epoch, Seq = held.Seq, Routes = held.Routes.Values.ToList() }
            : new PeerView());
    }

    /// <summary>Applies a local change, programs the forwarding table with the best-path changes and queues them for the peers.</summary>
    private async Task<long> CommitLocalAsync(RoutingDelta delta, long? atLeastSeq = null)
    {
        var affected = new HashSet<string>(delta.Withdraw, StringComparer.Ordinal);
        affected.UnionWith(delta.Announce.Select(r => r.Prefix));
        var before = affected.ToDictionary(p => p, State.Best, StringComparer.Ordinal);
        var seq = await CommitAsync(delta, atLeastSeq);
        var changes = new List<KeyValuePair<string, Route?>>();
        foreach (var prefix in affected)
        {
            var after = State.Best(prefix);
            if (after != before[prefix])
            {
                changes.Add(KeyValuePair.Create(prefix, after));
            }
        }

        fib.Program(Name, seq, changes);
        foreach (var link in Links())
        {
            link.Add(changes);
        }

        OnTick();
        return seq;
    }

    protected override void OnTick()
    {
        if (LifecycleState != ProcessState.Ready)
        {
            return;
        }

        foreach (var link in Links())
        {
            if (link is { Sending: false, HasWork: true })
            {
                _ = PumpAsync(link);
            }
        }

        if (_deferredPeers.Count > 0 && !_deferredAuditRunning)
        {
            _ = AuditDeferredPeersAsync();
        }
    }

    private IEnumerable<PeerLink> Links()
    {
        foreach (var peer in Definition.Peers)
        {
            if (!_links.TryGetValue(peer, out var link))
            {
                _links[peer] = link = new PeerLink(peer);
            }

            yield return link;
        }
    }

    private async Task PumpAsync(PeerLink link)
    {
        link.Sending = true;
        try
        {
            var peer = GrainFactory.GetGrain<IRoutingProcess>(link.Peer);
            while (link.HasWork && LifecycleState == ProcessState.Ready)
            {
                var seq = Seq;
                PeerAdvertisement advertisement;
                if (link.NeedsFull)
                {
                    link.TakePending();
                    advertisement = new PeerAdvertisement { From = Name, Epoch = Epoch, Seq = seq, Replace = true, Routes = State.BestPaths().Values.ToList() };
                }
                else
                {
                    var pending = link.TakePending();
                    advertisement = new PeerAdvertisement
                    {
                        From = Name,
                        Epoch = Epoch,
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
                        link.AckedSeq = seq;
                        link.LastError = null;
                        break;
                    case AdvertisementOutcome.NeedFull:
                        link.NeedsFull = true;
                        break;
                    default:
                        link.LastError = $"peer '{link.Peer}' has seen a newer epoch of '{Name}'";
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
