using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Client.Upgrade;

/// <summary>One step of a rolling upgrade (or rollback).</summary>
public abstract record UpgradeAction
{
    /// <summary>Restart a card that serves no slot at the target version.</summary>
    public sealed record UpgradeSpare(string Card, string? FromVersion, string ToVersion) : UpgradeAction
    {
        /// <inheritdoc />
        public override string ToString() => $"restart spare {Card} at {ToVersion} (was {FromVersion ?? "?"})";
    }

    /// <summary>Switch a slot over to a spare that already runs the target version.</summary>
    public sealed record Switchover(int Slot, string FromCard, string ToCard) : UpgradeAction
    {
        /// <inheritdoc />
        public override string ToString() => $"switch slot {Slot} over from {FromCard} to {ToCard}";
    }

    /// <summary>Every card runs the target version.</summary>
    public sealed record Done : UpgradeAction
    {
        /// <inheritdoc />
        public override string ToString() => "every card runs the target version";
    }

    /// <summary>The chassis cannot be upgraded as it is.</summary>
    public sealed record Blocked(string Reason) : UpgradeAction
    {
        /// <inheritdoc />
        public override string ToString() => "blocked: " + Reason;
    }
}

/// <summary>
/// Decides the next step of a rolling upgrade from the chassis as it is now (U1), so a campaign that stopped
/// anywhere resumes correctly: spare first; then each slot moves to a spare already on the target version;
/// the vacated card is restarted on the target version and becomes the next spare.
/// </summary>
public static class UpgradePlanner
{
    /// <summary>The next step towards every card running <paramref name="target"/>.</summary>
    public static UpgradeAction Next(ChassisStatus status, string target)
    {
        var cards = status.Cards.Where(c => c.StartRole != CardRoles.Control && c.Role != CardRoles.Control).ToList();
        var alive = cards.Where(c => c.Alive).ToList();
        if (alive.Count == 0)
        {
            return new UpgradeAction.Blocked("the chassis has no live card");
        }

        var spares = alive.Where(c => c.Role == CardRoles.Spare).OrderBy(c => c.CardId, StringComparer.Ordinal).ToList();
        var outdatedSlots = alive.Where(c => c.Role == CardRoles.Line && c.Version != target).OrderBy(c => c.Slot).ToList();
        var outdatedSpare = spares.FirstOrDefault(c => c.Version != target);
        var readySpare = spares.FirstOrDefault(c => c.Version == target);
        if (outdatedSlots.Count == 0 && outdatedSpare is null)
        {
            return new UpgradeAction.Done();
        }

        if (outdatedSlots.Count > 0 && readySpare is not null)
        {
            var card = outdatedSlots[0];
            return new UpgradeAction.Switchover(card.Slot!.Value, card.CardId, readySpare.CardId);
        }

        return outdatedSpare is not null
            ? new UpgradeAction.UpgradeSpare(outdatedSpare.CardId, outdatedSpare.Version, target)
            : new UpgradeAction.Blocked("no spare card: a rolling upgrade moves each slot to a spare (add one with POST /api/cards)");
    }

    /// <summary>The whole plan from the chassis as it is now, by simulating each step.</summary>
    public static IReadOnlyList<UpgradeAction> Plan(ChassisStatus status, string target)
    {
        var steps = new List<UpgradeAction>();
        var current = status;
        for (var i = 0; i < 4 * (status.Cards.Count + 1); i++)
        {
            var next = Next(current, target);
            steps.Add(next);
            if (next is UpgradeAction.Done or UpgradeAction.Blocked)
            {
                return steps;
            }

            current = Apply(current, next);
        }

        throw new InvalidOperationException("The upgrade plan does not converge: " + string.Join("; ", steps));
    }

    /// <summary>What the chassis looks like after <paramref name="action"/> succeeded.</summary>
    public static ChassisStatus Apply(ChassisStatus status, UpgradeAction action) => action switch
    {
        UpgradeAction.UpgradeSpare u => status with { Cards = status.Cards.Select(c => c.CardId == u.Card ? c with { Version = u.ToVersion } : c).ToList() },
        UpgradeAction.Switchover s => status with
        {
            Cards = status.Cards.Select(c =>
                c.CardId == s.ToCard ? c with { Role = CardRoles.Line, Slot = s.Slot }
                : c.CardId == s.FromCard ? c with { Role = CardRoles.Spare, Slot = null }
                : c).ToList(),
        },
        _ => status,
    };
}
