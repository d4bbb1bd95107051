using Microsoft.Extensions.Logging;
using Redundancy.Orleans.Hosting;

namespace Redundancy.Orleans.Cards;

/// <summary>
/// Refuses to start a card whose id is already active in the chassis at another address. Runs after the silo
/// has joined the membership table (as joining) and before it becomes active, so a duplicate never serves: two cards with one
/// id would split a slot's primaries between them. The card id is the silo name (set by
/// <see cref="RedundancySiloBuilderExtensions.AddProcessRedundancy"/>), which the membership table carries. The same id at the same address is a restart of that card (Orleans
/// retires the older generation), not a duplicate.
/// </summary>
internal sealed partial class DuplicateCardGuard(CardIdentity card, IClusterMembershipService membership, ILocalSiloDetails local, ILogger<DuplicateCardGuard> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DuplicateCardGuard), ServiceLifecycleStage.ApplicationServices, _ => CheckAsync());

    private async Task CheckAsync()
    {
        // A fresh read of the table: the snapshot may not have caught up this early in the start.
        var self = local.SiloAddress;
        await membership.Refresh();
        var other = membership.CurrentSnapshot.Members.Values.FirstOrDefault(m =>
            m.Status == SiloStatus.Active && m.Name == card.CardId && !m.SiloAddress.Endpoint.Equals(self.Endpoint));
        if (other is null)
        {
            return;
        }

        var message = $"{card.IdSource} '{card.CardId}' is already active in the chassis at {other.SiloAddress.Endpoint}; "
            + "give this card another id, or stop the other one first (a killed card's id is free once it is declared dead).";
        Refused(logger, card.CardId, other.SiloAddress.Endpoint.ToString());
        throw new ArgumentException(message);
    }

    [LoggerMessage(1200, LogLevel.Error, "Card {CardId} refused to start: the id is already active at {Endpoint}")]
    private static partial void Refused(ILogger logger, string cardId, string endpoint);
}
