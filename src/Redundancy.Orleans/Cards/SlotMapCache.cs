using Redundancy.Orleans.Chassis;

namespace Redundancy.Orleans.Cards;

/// <summary>
/// This silo's copy of the chassis manager's slot map. Placement reads it on every activation, so it is
/// a plain volatile reference; the card manager keeps it fresh. Null until the chassis manager answered
/// once: until then slots follow the cards' metadata.
/// </summary>
public sealed class SlotMapCache
{
    private volatile SlotMap? _current;

    /// <summary>The newest slot map seen, or null.</summary>
    public SlotMap? Current => _current;

    /// <summary>Raised after a newer map was taken.</summary>
    public event Action<SlotMap>? Changed;

    /// <summary>
    /// Asks the chassis manager for its slot map and takes it, for a caller that must not act on an older copy
    /// (a switchover changes the map without a membership change, so copies follow it only on the card
    /// manager's next tick). Returns false when the chassis manager did not answer within <paramref name="timeout"/>.
    /// </summary>
    public async Task<bool> RefreshAsync(IGrainFactory grains, TimeSpan timeout)
    {
        try
        {
            TryUpdate(await grains.GetGrain<IChassisManager>(IChassisManager.Key).GetSlotMap().WaitAsync(timeout));
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false; // the chassis manager is moving (its card died or it is restoring)
        }
    }

    /// <summary>Takes <paramref name="map"/> if it is newer; returns true when it was.</summary>
    public bool TryUpdate(SlotMap map)
    {
        while (true)
        {
            var current = _current;
            if (!map.IsNewerThan(current))
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _current, map, current) == current)
            {
                Changed?.Invoke(map);
                return true;
            }
        }
    }
}
