using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Diagnostics;

/// <summary>Points the card gauge (<see cref="Instruments.Cards"/>) at this silo's card directory once the silo runs.</summary>
internal sealed class CardGauge(CardDirectory cards, RedundancyMetrics metrics) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(CardGauge), ServiceLifecycleStage.Active, _ =>
        {
            metrics.ObserveCards(cards);
            return Task.CompletedTask;
        });
}
