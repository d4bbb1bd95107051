using Microsoft.Extensions.Options;
using Orleans.Placement;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Routing.Forwarding;
using Redundancy.Orleans.Routing.Hosting;
using Redundancy.Orleans.Routing.Peers;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Configuration;
using Redundancy.Orleans.Routing.Configuration;

namespace Redundancy.Orleans.Routing;

/// <summary>
/// The routing reference application: a RIB of IPv4/IPv6 routes with best-path selection, programmed
/// into the card's forwarding table (M10) and advertised to peer processes, made redundant by the runtime.
/// What it shows outside (forwarding table, peers) never runs ahead of what the runtime protected (I2).
/// </summary>
[GrainType(RoutingSiloBuilderExtensions.Kind)]
[SlotPlacement]
[KeepAlive]
[Immovable]
internal sealed partial class RoutingProcessGrain(
    [ReplicatedState] IReplicatedState<RoutingState, RoutingDelta> replicated,
    RedundancyContext context,
    ForwardingTable fib,
    IOptions<RoutingOptions> options)
    : Grain, IRoutingProcess, IRestoreAudit, IProcessTick
{
    private readonly Dictionary<string, PeerLink> _links = new(StringComparer.Ordinal);

    /// <summary>Best-path changes of committed changes not yet shown outside (their seq is above the visible seq).</summary>
    private readonly List<(long Seq, List<KeyValuePair<string, Route?>> Changes)> _effects = [];

    public async Task<UpdateResult> Update(RouteUpdate update)
    {
        var errors = RouteValidator.Validate(update, options.Value.MaxBatchSize);
        if (errors.Count > 0)
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput, RouteValidator.Summarize(errors));
        }

        var withdrawn = update.Withdraw.Count(State.Rib.ContainsKey);
        var answer = await CommitLocalAsync(new RoutingDelta { Announce = update.Announce, Withdraw = update.Withdraw });
        return new UpdateResult
        {
            Seq = answer.Seq,
            Epoch = Epoch,
            Announced = update.Announce.Count,
            Withdrawn = withdrawn,
            Mode = Mode.ToString(),
            Replicas = answer.Replicas,
            Protection = answer.Protection,
            Protected = answer.Protection == Protection.Protected,
            FlushDeadline = answer.FlushDeadline,
        };
    }

    public Task<RoutingTableView> GetRoutes()
    {
        var routes = new List<RouteEntry>(State.Size);
        foreach (var (prefix, paths) in State.Rib.Compact.Select(e => (Text: e.Key.ToString(), Paths: e.Value)).OrderBy(e => e.Text, StringComparer.Ordinal))
        {
            var best = paths.Best();
            routes.AddRange(paths.Paths().OrderBy(p => p.OriginName, StringComparer.Ordinal)
                .Select(p => new RouteEntry { Route = p.ToRoute(prefix), Best = p == best }));
        }

        return Task.FromResult(new RoutingTableView
        {
            Process = Name,
            Seq = Seq,
            Epoch = Epoch,
            Routes = routes,
            ReceivedFromPeers = State.FromPeers.ToDictionary(p => p.Key, p => p.Value.Count, StringComparer.Ordinal),
        });
    }

    [AnswersWhileNotServing]
    public Task<ForwardingView> GetForwardingTable()
    {
        var (_, seq, entries) = fib.Snapshot(Name);
        return Task.FromResult(new ForwardingView { CardId = Context.CardId, Seq = seq, Entries = entries });
    }

    public async Task<AdvertisementOutcome> Advertise(PeerAdvertisement advertisement)
    {
        if (!Definition.Peers.Contains(advertisement.From))
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"'{advertisement.From}' is not a peer of '{Name}' (peers: {string.Join(", ", Definition.Peers)}).");
        }

        State.FromPeers.TryGetValue(advertisement.From, out var held);
        if (held is not null && (advertisement.Epoch, advertisement.Seq).CompareTo((held.Epoch, held.Seq)) < 0)
        {
            // Older than what is held, by ballot or by seq within one ballot: a superseded activation of the sender (a card
            // that hung and resumed) still advertising the table it had, or a late copy of an earlier message. Accepting
            // it would roll the peer back to routes the sender no longer has.
            return AdvertisementOutcome.StaleEpoch;
        }

        if (!advertisement.Replace && (held is null || held.Epoch != advertisement.PrevEpoch || held.Seq != advertisement.PrevSeq))
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
        return Task.FromResult(State.FromPeers.TryGetValue(peer, out var held)
            ? new PeerView { Epoch = held.Epoch, Seq = held.Seq, Routes = held.ToRoutes() }
            : new PeerView());
    }

    /// <summary>
    /// Applies a local change and queues its best-path changes for the forwarding table and the peers; they are shown
    /// once the change is visible (protected, in synchronous mode). A change whose outcome is unknown stays queued until
    /// re-protection makes it visible; a refused change left nothing to queue.
    /// </summary>
    private async Task<CommitAnswer> CommitLocalAsync(RoutingDelta delta, long? atLeastSeq = null)
    {
        var affected = new HashSet<string>(delta.Withdraw, StringComparer.Ordinal);
        affected.UnionWith(delta.Announce.Select(r => r.Prefix));
        var before = affected.ToDictionary(p => p, State.Best, StringComparer.Ordinal);
        try
        {
            var answer = await CommitAsync(delta, atLeastSeq);
            QueueEffects(answer.Seq, affected, before);
            return answer;
        }
        catch (RedundancyException e) when (e.Kind == RedundancyErrorKind.OutcomeUnknown)
        {
            QueueEffects(Seq, affected, before);
            throw;
        }
        finally
        {
            ReleaseEffects();
        }
    }

    private void QueueEffects(long seq, HashSet<string> affected, Dictionary<string, Route?> before)
    {
        var changes = new List<KeyValuePair<string, Route?>>();
        foreach (var prefix in affected)
        {
            var after = State.Best(prefix);
            if (after != before[prefix])
            {
                changes.Add(KeyValuePair.Create(prefix, after));
            }
        }

        _effects.Add((seq, changes));
    }

    /// <summary>Programs the forwarding table and queues peer advertisements for every change that became visible.</summary>
    private void ReleaseEffects()
    {
        var released = 0;
        while (released < _effects.Count && _effects[released].Seq <= VisibleSeq)
        {
            var (seq, changes) = _effects[released++];
            fib.Program(Name, DataBallot, seq, changes);
            Context.CrashPoint(Name, Faults.CrashPoints.AfterForwarding);
            foreach (var link in Links())
            {
                link.Add(changes);
            }
        }

        _effects.RemoveRange(0, released);
        if (released > 0)
        {
            OnTick();
        }
    }

    public void OnTick()
    {
        if (LifecycleState != ProcessState.Ready)
        {
            return;
        }

        ReleaseEffects();
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

    // The replicated state's members the routing code reads, by the names it always used.
    private RedundancyContext Context => context;

    private string Name => replicated.Name;

    private ProcessDefinition Definition => replicated.Definition;

    private RoutingState State => replicated.State;

    private long Seq => replicated.Seq;

    private long Epoch => replicated.Epoch;

    private long VisibleSeq => replicated.VisibleSeq;

    private long DataBallot => replicated.DataBallot;

    private (long Ballot, long Seq) RestoredCopy => replicated.RestoredCopy;

    private bool NewProcess => replicated.NewProcess;

    private ProcessState LifecycleState => replicated.LifecycleState;

    private ReplicationMode Mode => replicated.Mode;

    private DurabilityMode Durability => replicated.Durability;

    private string? RebuildReason => replicated.RebuildReason;

    private Task<CommitAnswer> CommitAsync(RoutingDelta delta, long? atLeastSeq = null) => replicated.CommitAsync(delta, atLeastSeq);

    private Task WhenQuiescentAsync() => replicated.WhenQuiescentAsync();

    private void AmendAudit(AuditReport later) => replicated.AmendAudit(later);
}
