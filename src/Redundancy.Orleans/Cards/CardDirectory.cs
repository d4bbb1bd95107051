using System.Globalization;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Cards;

/// <summary>
/// The chassis as one silo sees it: membership joined with each silo's card metadata, and the slot
/// map (slot → card). The slot map is derived from the live view on every call, so it follows
/// membership changes at run time.
/// </summary>
public sealed class CardDirectory(IClusterMembershipService membership, ISiloMetadataCache metadata)
{
    /// <summary>Every known card, alive or not, with its silo address (null metadata: not known yet).</summary>
    public IReadOnlyList<(CardInfo Card, SiloAddress Silo)> GetCards()
    {
        var result = new List<(CardInfo, SiloAddress)>();
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status is SiloStatus.None or SiloStatus.Created)
            {
                continue;
            }

            var card = Describe(member.SiloAddress, member.Status == SiloStatus.Active);
            if (card is not null)
            {
                result.Add((card, member.SiloAddress));
            }
        }

        // Several incarnations of one card id (a restarted process) are possible: the live one wins.
        return result
            .GroupBy(c => c.Item1.CardId, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(c => c.Item1.Alive).ThenByDescending(c => c.Item2.Generation).First())
            .OrderBy(c => c.Item1.Role == CardRoles.Control ? 0 : c.Item1.Role == CardRoles.Line ? 1 : 2)
            .ThenBy(c => c.Item1.Slot ?? int.MaxValue)
            .ThenBy(c => c.Item1.CardId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The card metadata of a silo, or null while the metadata cache does not have it yet.</summary>
    public CardInfo? Describe(SiloAddress silo, bool alive)
    {
        var md = metadata.GetSiloMetadata(silo)?.Metadata;
        if (md is null || !md.TryGetValue(CardMetadataKeys.CardId, out var cardId))
        {
            return null;
        }

        return new CardInfo
        {
            CardId = cardId,
            Role = md.GetValueOrDefault(CardMetadataKeys.Role) ?? CardRoles.Line,
            Slot = int.TryParse(md.GetValueOrDefault(CardMetadataKeys.Slot), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null,
            Alive = alive,
            ProcessId = int.TryParse(md.GetValueOrDefault(CardMetadataKeys.ProcessId), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null,
            Version = md.GetValueOrDefault(CardMetadataKeys.Version),
            Endpoint = silo.ToParsableString(),
        };
    }

    /// <summary>The active card serving a slot, or null.</summary>
    public (CardInfo Card, SiloAddress Silo)? CardForSlot(int slot, IReadOnlyCollection<SiloAddress>? among = null)
    {
        foreach (var c in GetCards())
        {
            if (c.Card.Alive && c.Card.Role == CardRoles.Line && c.Card.Slot == slot && (among is null || among.Contains(c.Silo)))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>Active line cards (the only cards that may hold replicas).</summary>
    public IReadOnlyList<(CardInfo Card, SiloAddress Silo)> ActiveLineCards(IReadOnlyCollection<SiloAddress>? among = null) =>
        GetCards().Where(c => c.Card.Alive && c.Card.Role == CardRoles.Line && (among is null || among.Contains(c.Silo))).ToList();

    /// <summary>The card id of a silo, when known.</summary>
    public string? CardIdOf(SiloAddress? silo) => silo is null ? null : metadata.GetSiloMetadata(silo)?.Metadata.GetValueOrDefault(CardMetadataKeys.CardId);

    /// <summary>Throws a clear error when no card serves the slot.</summary>
    internal static RedundancyException NoCardFor(int slot, string process) =>
        new(RedundancyErrorKind.Unavailable, $"No active line card serves slot {slot} (process '{process}').");
}
