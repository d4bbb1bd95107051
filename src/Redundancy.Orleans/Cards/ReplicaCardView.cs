using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Cards;

/// <summary>
/// One process's view of the cards for its replicas, taken once (per tick or restore): which cards are alive, which may
/// hold its replicas — serving line cards (M3: never a spare), and for the control plane spares too when the serving
/// cards are too few (I7: a chassis whose line cards are gone must still protect its manager) — and where a replica should
/// go (rendezvous; serving cards first).
/// </summary>
internal sealed class ReplicaCardView : IReplicaCards
{
    private readonly HashSet<string> _alive;
    private readonly List<string> _candidates;
    private readonly HashSet<string> _mayHold;
    private readonly string _process;

    /// <param name="replicas">How many replicas the process has: the control plane uses spares only when serving cards are too few.</param>
    public ReplicaCardView(string process, string? ownCard, IReadOnlyList<(CardInfo Card, SiloAddress Silo)> cards, bool controlPlane, int replicas = 1)
    {
        _process = process;
        OwnCard = ownCard;
        _alive = cards.Where(c => c.Card.Alive).Select(c => c.Card.CardId).ToHashSet(StringComparer.Ordinal);
        var serving = CardDirectory.Serving(cards).Select(c => c.Card.CardId).ToList();
        var spares = controlPlane && serving.Count(c => c != ownCard) < replicas
            ? cards.Where(c => c.Card.IsLiveCard() && !serving.Contains(c.Card.CardId)).Select(c => c.Card.CardId).ToList()
            : [];
        _mayHold = serving.Concat(spares).ToHashSet(StringComparer.Ordinal);

        // Serving cards first, each group in the process's rendezvous order: every card computes the same choice.
        _candidates = [.. RendezvousRanking.Rank(process, serving, c => c), .. RendezvousRanking.Rank(process, spares, c => c)];
    }

    public string? OwnCard { get; }

    public bool IsAlive(string cardId) => _alive.Contains(cardId);

    public bool MayHold(string cardId) => _mayHold.Contains(cardId) && cardId != OwnCard;

    public string? ChooseCard(IReadOnlyCollection<string> avoid) => _candidates.FirstOrDefault(c => c != OwnCard && !avoid.Contains(c));

    /// <summary>How many cards could hold a replica of this process.</summary>
    public int Capacity => _candidates.Count(c => c != OwnCard);

    public override string ToString() => $"{_process}: {string.Join(", ", _candidates)}";
}
