using Microsoft.Extensions.DependencyInjection;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Management;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>
/// The cards an endpoint acts on, with a clear refusal for any other (unknown 404, the control silo 400, dead 409), the
/// host's <see cref="ICardController"/> or 501, and the fault time recorded with the chassis manager.
/// </summary>
/// <remarks>The silo's services are resolved when used, so that a host without a card controller refuses at once.</remarks>
internal sealed class CardLookup(TimeProvider time, IServiceProvider services)
{
    private CardDirectory Cards => services.GetRequiredService<CardDirectory>();

    /// <summary>The host's card controller, or 501 for a host whose cards are not its processes.</summary>
    public ICardController Controller() => services.GetService<ICardController>() ?? throw new NotSupportedException(
        "Cluster mode: cards are not processes of this host. Stop or start the card's container or process instead; declare-dead is available.");

    /// <summary>A known card other than the control silo, alive when asked; with its silo.</summary>
    public (CardInfo Card, SiloAddress Silo) Find(string cardId, bool mustBeAlive)
    {
        var all = Cards.GetCards();
        var found = all.FirstOrDefault(c => c.Card.CardId == cardId);
        if (found.Card is null)
        {
            throw new RedundancyException(RedundancyErrorKind.UnknownProcess,
                $"Unknown card '{cardId}': the chassis has {string.Join(", ", all.Select(c => c.Card.CardId))}.");
        }

        if (found.Card.Role == CardRoles.Control || found.Card.StartRole == CardRoles.Control)
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"'{cardId}' is the control silo (it holds the membership table and this API); faults go to line cards and spares.");
        }

        return mustBeAlive && !found.Card.Alive
            ? throw new RedundancyException(RedundancyErrorKind.NotServing, $"Card '{cardId}' is already dead.")
            : found;
    }

    /// <summary>A card the host's controller can act on (alive when asked), or the controller's refusal (503).</summary>
    public CardInfo Controllable(ICardController controller, string cardId, bool mustBeAlive)
    {
        var card = Find(cardId, mustBeAlive).Card;
        return controller.Refusal(card) is { } refusal ? throw new RedundancyException(RedundancyErrorKind.Unavailable, refusal) : card;
    }

    /// <summary>A live card other than the control silo.</summary>
    public CardInfo RequireAlive(string cardId) => Find(cardId, mustBeAlive: true).Card;

    /// <summary>Records a fault's time with the chassis manager first, so the failover's detect phase is timed.</summary>
    public async Task RecordFaultAsync(string cardId)
    {
        try
        {
            await services.GetRequiredService<IGrainFactory>().GetGrain<IChassisManager>(IChassisManager.Key).RecordFault(cardId, time.GetUtcNow()).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The fault must still be injected; only the detect-phase timing is lost.
        }
    }

    /// <summary>Every card's id, for a refusal that lists them.</summary>
    public IEnumerable<CardInfo> All() => Cards.GetCards().Select(c => c.Card);
}
