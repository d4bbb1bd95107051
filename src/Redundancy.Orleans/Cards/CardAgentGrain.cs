using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Placement;

namespace Redundancy.Orleans.Cards;

/// <summary>A card's own answers to the control plane (key = card id, runs on that card).</summary>
internal interface ICardAgent : IGrainWithStringKey
{
    /// <summary>The slot map this card acts on (its cache), or null before it heard of one.</summary>
    Task<SlotMap?> GetSlotMap();

    /// <summary>
    /// The chassis manager pushes every new slot map to every live card the moment it committed it, so a spare starts its
    /// new slot's processes without waiting for a membership update or a keep-alive tick. One-way: a card that does not take
    /// it still pulls the map (its card manager's reconcile on membership changes and ticks).
    /// </summary>
    [global::Orleans.Concurrency.OneWay]
    Task TakeSlotMap(SlotMap map);
}

/// <summary>Lets a chassis manager that lost every copy of its state rebuild the slot map from the cards (I7).</summary>
[CardPinnedPlacement]
internal sealed class CardAgentGrain(SlotMapCache slotMap) : Grain, ICardAgent
{
    public Task<SlotMap?> GetSlotMap() => Task.FromResult(slotMap.Current);

    public Task TakeSlotMap(SlotMap map)
    {
        slotMap.TryUpdate(map);
        return Task.CompletedTask;
    }
}
