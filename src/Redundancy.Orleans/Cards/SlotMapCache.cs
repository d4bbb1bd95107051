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

    /// <summary>Takes <paramref name="map"/> if it is newer; returns true when it was.</summary>
    public bool TryUpdate(SlotMap map)
    {
        while (true)
        {
            var current = _current;
            if (current is not null && current.Version >= map.Version)
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
