using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Diagnostics;

/// <summary>Points the card gauge (<see cref="Instruments.Cards"/>) at this silo's card directory once the silo runs.</summary>
internal sealed class CardGauge(CardDirectory cards) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(CardGauge), ServiceLifecycleStage.Active, _ =>
        {
            RedundancyMetrics.ObserveCards(cards);
            return Task.CompletedTask;
        });
}
