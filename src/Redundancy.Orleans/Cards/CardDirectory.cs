using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Cards;

/// <summary>
/// The chassis as one silo sees it: membership joined with each silo's card metadata and the slot map.
/// A card's role follows the slot map, not its start-up metadata: a spare that took a slot over is a line
/// card, and a card that comes back after its slot moved is a spare (no fail-back, M5).
/// </summary>
public sealed class CardDirectory(IClusterMembershipService membership, ISiloMetadataCache metadata, SlotMapCache slotMap)
{
    // The metadata cache forgets a silo once it is dead; a dead card must still be listed (and resumable).
    private readonly ConcurrentDictionary<SiloAddress, IReadOnlyDictionary<string, string>> _seen = new();

    /// <summary>The membership version this view is built from.</summary>
    public long MembershipVersion => membership.CurrentSnapshot.Version.Value;

    /// <summary>Every known card, alive or not, with its silo address.</summary>
    public IReadOnlyList<(CardInfo Card, SiloAddress Silo)> GetCards()
    {
        var result = new List<(CardInfo, SiloAddress)>();
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status is SiloStatus.None or SiloStatus.Created)
            {
                continue;
            }

            if (Describe(member.SiloAddress, member.Status == SiloStatus.Active) is { } card)
            {
                result.Add((card, member.SiloAddress));
            }
        }

        // Several incarnations of one card id (a restarted process) are possible: the live, newest one wins.
        return result
            .GroupBy(c => c.Item1.CardId, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(c => c.Item1.Alive).ThenByDescending(c => c.Item2.Generation).First())
            .OrderBy(c => c.Item1.Role == CardRoles.Control ? 0 : c.Item1.Role == CardRoles.Line ? 1 : 2)
            .ThenBy(c => c.Item1.Slot ?? int.MaxValue)
            .ThenBy(c => c.Item1.CardId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The card of a silo, or null while the metadata cache does not have it yet.</summary>
    public CardInfo? Describe(SiloAddress silo, bool alive)
    {
        var md = Metadata(silo);
        if (md is null || !md.TryGetValue(CardMetadataKeys.CardId, out var cardId))
        {
            return null;
        }

        var startRole = md.GetValueOrDefault(CardMetadataKeys.Role) ?? CardRoles.Line;
        var homeSlot = int.TryParse(md.GetValueOrDefault(CardMetadataKeys.Slot), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : (int?)null;
        int? slot;
        string role;
        if (startRole == CardRoles.Control)
        {
            (role, slot) = (CardRoles.Control, null);
        }
        else if (!alive)
        {
            (role, slot) = (startRole, null);
        }
        else if (slotMap.Current is { } map)
        {
            slot = map.SlotOf(cardId);
            role = slot is null ? CardRoles.Spare : CardRoles.Line;
        }
        else
        {
            (role, slot) = (startRole, startRole == CardRoles.Line ? homeSlot : null);
        }

        return new CardInfo
        {
            CardId = cardId,
            Role = role,
            Slot = slot,
            Alive = alive,
            ProcessId = int.TryParse(md.GetValueOrDefault(CardMetadataKeys.ProcessId), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null,
            Version = md.GetValueOrDefault(CardMetadataKeys.Version),
            Endpoint = silo.ToParsableString(),
            StartRole = startRole,
            HomeSlot = homeSlot,
            StateSchema = md.GetValueOrDefault(CardMetadataKeys.StateSchema),
            MetricsUrl = md.GetValueOrDefault(CardMetadataKeys.MetricsUrl),
        };
    }

    /// <summary>True when the slot map says no card serves the slot (its processes are spread, N:1).</summary>
    public bool IsDegraded(int slot) => slotMap.Current is { } map && map.Slots.TryGetValue(slot, out var card) && card is null;

    /// <summary>
    /// The card that should run a process's primary: the card serving its slot, or, for a degraded slot,
    /// the first serving card in the process's rendezvous ranking.
    /// </summary>
    public (CardInfo Card, SiloAddress Silo)? CardForProcess(ProcessDefinition process, IReadOnlyCollection<SiloAddress>? among = null) =>
        CardForProcess(process, ServingCards(among));

    /// <summary>
    /// <see cref="CardForProcess(ProcessDefinition, IReadOnlyCollection{SiloAddress}?)"/> over a view of the
    /// serving cards taken once, for callers that place many processes against the same view.
    /// </summary>
    public (CardInfo Card, SiloAddress Silo)? CardForProcess(ProcessDefinition process, IReadOnlyList<(CardInfo Card, SiloAddress Silo)> serving)
    {
        foreach (var c in serving)
        {
            if (c.Card.Slot == process.Slot)
            {
                return c;
            }
        }

        if (IsDegraded(process.Slot))
        {
            var ranked = RendezvousRanking.Rank(process.Name, serving, c => c.Card.CardId);
            return ranked.Count > 0 ? ranked[0] : null;
        }

        return null;
    }

    /// <summary>
    /// Where the chassis manager should run: a line card (first in its rendezvous ranking), so that losing any
    /// card, including its own, exercises the same restore path; without line cards a spare. Never the control
    /// silo: the chassis would then depend on the one silo that is not a card.
    /// </summary>
    public (CardInfo Card, SiloAddress Silo)? ChassisHome(IReadOnlyCollection<SiloAddress>? among = null)
    {
        var candidates = ServingCards(among);
        if (candidates.Count == 0)
        {
            candidates = GetCards().Where(c => c.Card.Alive && c.Card.Role == CardRoles.Spare && (among is null || among.Contains(c.Silo))).ToList();
        }

        var ranked = RendezvousRanking.Rank(Chassis.IChassisManager.Key, candidates, c => c.Card.CardId);
        return ranked.Count > 0 ? ranked[0] : null;
    }

    /// <summary>Active cards serving a slot: the only cards that hold primaries and replicas.</summary>
    public IReadOnlyList<(CardInfo Card, SiloAddress Silo)> ServingCards(IReadOnlyCollection<SiloAddress>? among = null) =>
        Serving(GetCards(), among);

    /// <summary><see cref="ServingCards"/> of a view already taken with <see cref="GetCards"/>.</summary>
    public static IReadOnlyList<(CardInfo Card, SiloAddress Silo)> Serving(IEnumerable<(CardInfo Card, SiloAddress Silo)> cards, IReadOnlyCollection<SiloAddress>? among = null) =>
        cards.Where(c => c.Card.Alive && c.Card.Role == CardRoles.Line && c.Card.Slot is not null && (among is null || among.Contains(c.Silo))).ToList();

    /// <summary>The card id of a silo, when known.</summary>
    public string? CardIdOf(SiloAddress? silo) => silo is null ? null : Metadata(silo)?.GetValueOrDefault(CardMetadataKeys.CardId);

    private IReadOnlyDictionary<string, string>? Metadata(SiloAddress silo)
    {
        if (metadata.GetSiloMetadata(silo)?.Metadata is { Count: > 0 } md)
        {
            _seen[silo] = md;
            return md;
        }

        return _seen.GetValueOrDefault(silo);
    }

    /// <summary>A clear error when no card can run a process.</summary>
    internal static RedundancyException NoCardFor(int slot, string process) =>
        new(RedundancyErrorKind.Unavailable, $"No active line card serves slot {slot} (process '{process}').");
}
