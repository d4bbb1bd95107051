using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Placement;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Chassis;

/// <summary>
/// The chassis manager (M4, M5, M9): owns the slot map and the spare pool, moves a dead card's slot to a
/// spare, degrades to N:1 when no spare is left, and times each failover. It is a redundant process
/// itself — replicated with the same mechanism — so losing the card it runs on loses nothing: it comes
/// back on another card from its replica, and its audit reconciles the slot map with membership.
/// </summary>
[GrainType(IChassisManager.Key)]
[ControlPlanePlacement]
[KeepAlive]
[Immovable]
internal sealed partial class ChassisManagerGrain(
    [ReplicatedState] IReplicatedState<ChassisState, ChassisDelta> state,
    RedundancyContext context,
    IClusterMembershipService membership,
    ProcessDirectory processes)
    : Grain, IChassisManager, IRestoreAudit, IControlPlaneProcess
{
    private readonly ILogger _logger = context.Loggers.CreateLogger<ChassisManagerGrain>();

    /// <summary>Opens, matches and counts failovers; this grain commits what it decides.</summary>
    private readonly FailoverCoordinator _failovers = new();

    private RedundancyContext Context => context;

    private ChassisState State => state.State;

    private long Epoch => state.Epoch;

    private string? RebuildReason => state.RebuildReason;

    private Task<CommitAnswer> CommitAsync(ChassisDelta delta) => state.CommitAsync(delta);

    public async Task<SlotMap> Reconcile(long membershipVersion)
    {
        if (membership.CurrentSnapshot.Version.Value < membershipVersion)
        {
            await membership.Refresh(new MembershipVersion(membershipVersion));
        }

        await ReconcileCoreAsync();
        return State.SlotMap;
    }

    public Task<SlotMap> GetSlotMap()
    {
        return Task.FromResult(State.SlotMap);
    }

    public async Task RecordFault(string cardId, DateTimeOffset at)
    {
        await CommitAsync(new ChassisDelta { FaultCard = cardId, FaultAt = at });
    }

    public async Task ReportReady(ProcessReadyReport report)
    {
        if (_failovers.Match(State.Events, report, Context.Time.GetUtcNow()) is { } match)
        {
            await CountReadyAsync(match.Open, match.Report);
        }
    }

    /// <summary>Counts the remembered reports of processes that were ready on the new card before <paramref name="opened"/> opened.</summary>
    private async Task CountEarlyReadyAsync(ChassisEvent opened)
    {
        foreach (var report in _failovers.EarlyReady(opened))
        {
            if (State.Events.LastOrDefault(e => e.Id == opened.Id) is { ReadyAt: null } current)
            {
                await CountReadyAsync(current, report);
            }
        }
    }

    private async Task CountReadyAsync(ChassisEvent open, ProcessReadyReport report)
    {
        if (FailoverCoordinator.Count(open, report) is not { } updated)
        {
            return;
        }

        var done = updated.ReadyAt is not null;
        if (done)
        {
            Log.ChassisEvent(_logger, updated.Message!);
            context.Metrics.FailoverCompleted(updated);
            FailoverTrace.Record(updated);
        }

        await CommitAsync(new ChassisDelta { Event = updated });
        if (done)
        {
            FailoverDiagnostics.Write(FailoverDiagnostics.FailoverCompleted, updated);
        }
    }

    public Task<IReadOnlyList<ChassisEvent>> GetEvents(long afterId)
    {
        return Task.FromResult<IReadOnlyList<ChassisEvent>>(State.Events.Where(e => e.Id > afterId).ToList());
    }

    /// <summary>The control plane: replicated wider than processes, on spares too, and rebuilt from the cards when every copy was lost (I7).</summary>
    ProcessDefinition IControlPlaneProcess.Definition => new() { Name = IChassisManager.Key, Slot = 0, Kind = IChassisManager.Key };

    /// <summary>
    /// The audit of the chassis manager. After a rebuild (every copy of its state was lost) it takes the newest slot map
    /// any live card acts on, the cards membership knows, and the campaign from the archive. Otherwise it checks its restored
    /// slot map against the copies the cards act on (a newer one there means a map committed while unprotected was lost:
    /// the cards' copy wins, as an associated process does for a routing table). Then it reconciles with membership.
    /// </summary>
    public async Task<AuditReport> AuditAsync(CancellationToken cancellationToken)
    {
        var findings = new List<AuditFinding>();
        var stale = 0;
        var recovered = 0;
        var live = Context.Cards.GetCards().Where(c => c.Card.IsLiveCard()).Select(c => c.Card.CardId).ToList();
        var (newest, from) = await CardsNewestMapAsync(live);
        if (RebuildReason is { } rebuild)
        {
            var campaign = await GrainFactory.GetGrain<IChassisArchive>(IChassisManager.Key).GetCampaign();
            var map = newest is null ? State.SlotMap : newest with { };
            await CommitAsync(new ChassisDelta { SlotMap = map, JoinedCards = live, Campaign = campaign });
            PushSlotMap(map);
            recovered = 1;
            var action = $"control plane rebuilt ({rebuild}): slot map v{map.Version} from {from ?? "nowhere (new map)"}, {live.Count} live card(s) from membership, campaign {(campaign is null ? "none" : $"revision {campaign.Revision}")} from the archive";
            Log.ChassisEvent(_logger, action);
            findings.Add(new AuditFinding { Target = "control plane", Missing = 1, Action = action });
            var now = Context.Time.GetUtcNow();
            await CommitAsync(new ChassisDelta { Event = new ChassisEvent { Id = State.LastEventId + 1, Kind = ChassisEventKind.ControlPlaneRebuilt, CardId = Context.CardId ?? "?", DetectedAt = now, Message = action } });
        }
        else if (newest is not null && newest.IsNewerThan(State.SlotMap))
        {
            var restored = State.SlotMap;
            await CommitAsync(new ChassisDelta { SlotMap = newest, JoinedCards = live });
            PushSlotMap(newest);
            stale = 1;
            var action = $"restored slot map v{restored.Version} (ballot {restored.Ballot}) is older than the copy card {from} acts on (v{newest.Version}, ballot {newest.Ballot}): adopted the cards' copy";
            Log.ChassisEvent(_logger, action);
            findings.Add(new AuditFinding { Target = $"slot map@{from}", Stale = 1, Action = action });
        }

        var changes = await ReconcileCoreAsync();
        findings.Add(new AuditFinding { Target = "membership", Wrong = changes, Action = changes == 0 ? "slot map matches membership" : $"{changes} slot(s) reassigned" });
        return new AuditReport
        {
            Checked = State.SlotMap.Slots.Count,
            Stale = stale,
            Wrong = changes,
            Repaired = changes + stale,
            Recovered = recovered,
            Findings = findings,
        };
    }

    /// <summary>The newest slot map any of <paramref name="cards"/> acts on (their caches), and which card has it.</summary>
    private async Task<(SlotMap? Map, string? Card)> CardsNewestMapAsync(IReadOnlyList<string> cards)
    {
        var maps = await Task.WhenAll(cards.Select(async card =>
        {
            try
            {
                return (Map: await GrainFactory.GetGrain<ICardAgent>(card).GetSlotMap().WaitAsync(Context.Options.RestoreAuditTimeout), Card: card);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return (Map: (SlotMap?)null, Card: card);
            }
        }));
        var own = Context.SlotMap.Current;
        var newest = maps.Where(m => m.Map is not null).Aggregate((Map: own, Card: own is null ? null : Context.CardId), (best, m) => m.Map!.IsNewerThan(best.Map) ? (m.Map, m.Card) : best);
        return newest;
    }

    private async Task<int> ReconcileCoreAsync()
    {
        var now = Context.Time.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var known = Context.Cards.GetCards();
        var cards = known.Select(c => c.Card).ToList();
        var members = membership.CurrentSnapshot.Members;
        var dead = known.Where(c => members.TryGetValue(c.Silo, out var m) && m.Status == SiloStatus.Dead).Select(c => c.Card.CardId).ToHashSet(StringComparer.Ordinal);
        var (slots, changes) = SlotAssignment.Next(State.SlotMap.Slots, cards, dead);
        var joined = cards.Where(c => c.IsLiveCard() && !State.KnownCards.Contains(c.CardId)).Select(c => c.CardId).ToList();
        if (changes.Count == 0 && joined.Count == 0)
        {
            return 0;
        }

        var map = State.SlotMap.Next(Epoch, slots);
        await CommitAsync(new ChassisDelta { SlotMap = map, JoinedCards = joined });
        PushSlotMap(map);
        var placedAt = Context.Time.GetUtcNow();
        var nextId = State.LastEventId;
        foreach (var change in changes.Where(c => c.Kind != ChassisEventKind.CardJoined))
        {
            var faultAt = change.OldCard is not null && State.Faults.TryGetValue(change.OldCard, out var f) ? f : (DateTimeOffset?)null;
            var e = FailoverCoordinator.Open(change, ++nextId, now, placedAt, watch.Elapsed.TotalMilliseconds, faultAt, Context.Table.ForSlot(change.Slot).Count());
            Log.ChassisEvent(_logger, e.Message!);
            context.Metrics.FailoverStarted(e);
            await CommitAsync(new ChassisDelta { Event = e });
            FailoverDiagnostics.Write(FailoverDiagnostics.FailoverStarted, e);
            await CountEarlyReadyAsync(e);
        }

        foreach (var card in joined.Where(id => slots.Values.All(v => v != id)))
        {
            var e = new ChassisEvent { Id = ++nextId, Kind = ChassisEventKind.CardJoined, CardId = card, DetectedAt = now, Message = $"card {card} joined as a spare" };
            Log.ChassisEvent(_logger, e.Message);
            await CommitAsync(new ChassisDelta { Event = e });
        }

        return changes.Count(c => c.Kind != ChassisEventKind.CardJoined);
    }

    /// <summary>
    /// Hands a committed slot map to this card's cache and to every other live card's (one-way calls: a card that is dying
    /// does not hold the chassis manager up, and one that missed the push pulls the map on its next reconcile).
    /// </summary>
    private void PushSlotMap(SlotMap map)
    {
        Context.SlotMap.TryUpdate(map);
        foreach (var (card, _) in Context.Cards.GetCards())
        {
            if (card.Alive && card.CardId != Context.CardId)
            {
                GrainFactory.GetGrain<ICardAgent>(card.CardId).TakeSlotMap(map).Ignore();
            }
        }
    }
}
