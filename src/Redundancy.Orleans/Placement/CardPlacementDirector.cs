using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Placement;

/// <summary>
/// Places primaries on the card serving their slot and replicas on distinct other active line cards,
/// never a spare, never the primary's card (M3). Honours a placement hint first (migration).
/// Silo metadata fills asynchronously, so a card not known yet is waited for, up to a deadline,
/// rather than silently misplacing the grain.
/// </summary>
internal sealed class CardPlacementDirector(
    CardDirectory cards,
    ProcessTable table,
    IOptions<RedundancyOptions> options,
    TimeProvider time,
    ILogger<CardPlacementDirector> logger) : IPlacementDirector
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, compatible) is { } hinted)
        {
            return hinted;
        }

        var key = target.GrainIdentity.Key.ToString();
        var deadline = time.GetUtcNow() + options.Value.PlacementWaitTimeout;
        while (true)
        {
            var choice = strategy switch
            {
                ReplicaPlacementStrategy => PlaceReplica(key, compatible, target.RequestContextData),
                CardPinnedPlacementStrategy => PlaceOnCard(key, compatible),
                ControlSiloPlacementStrategy => PlaceOnControlSilo(compatible),
                ControlPlanePlacementStrategy => PlaceChassisManager(compatible),
                _ => PlacePrimary(key, compatible),
            };
            if (choice.Silo is { } silo)
            {
                Log.Placed(logger, key, choice.CardId!, strategy.GetType().Name);
                return silo;
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw choice.Error!;
            }

            await Task.Delay(PollInterval, time);
            compatible = context.GetCompatibleSilos(target);
        }
    }

    private (SiloAddress? Silo, string? CardId, RedundancyException? Error) PlaceChassisManager(SiloAddress[] compatible) =>
        cards.ChassisHome(compatible) is { } home
            ? (home.Silo, home.Card.CardId, null)
            : (null, null, new RedundancyException(RedundancyErrorKind.Unavailable, "No active card can host the chassis manager."));

    private (SiloAddress? Silo, string? CardId, RedundancyException? Error) PlacePrimary(string process, SiloAddress[] compatible)
    {
        var definition = table.Get(process);
        return cards.CardForProcess(definition, compatible) is { } c
            ? (c.Silo, c.Card.CardId, null)
            : (null, null, CardDirectory.NoCardFor(definition.Slot, process));
    }

    private (SiloAddress? Silo, string? CardId, RedundancyException? Error) PlaceOnCard(string cardId, SiloAddress[] compatible) =>
        cards.GetCards().FirstOrDefault(c => c.Card.CardId == cardId && c.Card.Alive && compatible.Contains(c.Silo)) is { Card: not null } found
            ? (found.Silo, cardId, null)
            : (null, null, new RedundancyException(RedundancyErrorKind.Unavailable, $"Card '{cardId}' is not alive in the chassis."));

    private (SiloAddress? Silo, string? CardId, RedundancyException? Error) PlaceOnControlSilo(SiloAddress[] compatible) =>
        cards.GetCards().FirstOrDefault(c => c.Card.StartRole == CardRoles.Control && c.Card.Alive && compatible.Contains(c.Silo)) is { Card: not null } control
            ? (control.Silo, control.Card.CardId, null)
            : (null, null, new RedundancyException(RedundancyErrorKind.Unavailable, "No control silo is alive in the chassis: control-plane storage is unavailable."));

    private string? PrimaryCardOf(string process) =>
        process == IChassisManager.Key
            ? cards.ChassisHome(null)?.Card.CardId
            : cards.CardForProcess(table.Get(process))?.Card.CardId;

    private (SiloAddress? Silo, string? CardId, RedundancyException? Error) PlaceReplica(string key, SiloAddress[] compatible, Dictionary<string, object>? requestContext)
    {
        if (!ReplicaKeys.TryParse(key, out var process, out var index))
        {
            return (null, null, new RedundancyException(RedundancyErrorKind.InvalidInput, $"'{key}' is not a replica key ({{process}}/r{{index}})."));
        }

        var primaryCard = PrimaryCardOf(process);
        var eligible = cards.ServingCards(compatible).Where(c => c.Card.CardId != primaryCard).ToList();
        if (process == IChassisManager.Key && eligible.Count < options.Value.ControlPlaneReplicas)
        {
            // The control plane may also use spares when serving cards are too few (I7): with its manager down no slot is
            // assigned, and a chassis whose line cards are gone must still be able to protect it. Serving cards first.
            eligible.AddRange(cards.GetCards().Where(c => c.Card.IsLiveCard() && c.Card.CardId != primaryCard && compatible.Contains(c.Silo) && eligible.All(e => e.Card.CardId != c.Card.CardId)));
        }

        if (eligible.Count == 0)
        {
            return (null, null, new RedundancyException(RedundancyErrorKind.Unavailable,
                $"No active line card other than the primary's ('{primaryCard ?? "none"}') can hold replica {index} of '{process}'."));
        }

        // The primary names the card when it re-creates a replica (it knows where the others are).
        if (requestContext?.GetValueOrDefault(ReplicaKeys.TargetCardContextKey) is string wanted && eligible.FirstOrDefault(c => c.Card.CardId == wanted) is { Card: not null } hinted)
        {
            return (hinted.Silo, hinted.Card.CardId, null);
        }

        var ranked = process == IChassisManager.Key ? eligible : RendezvousRanking.Rank(process, eligible, c => c.Card.CardId);
        var chosen = ranked[index % ranked.Count];
        return (chosen.Silo, chosen.Card.CardId, null);
    }
}
