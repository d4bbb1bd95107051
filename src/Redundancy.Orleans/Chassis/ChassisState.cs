using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Chassis;

/// <summary>One replicated change of the chassis manager's state. Ids are never renumbered.</summary>
[GenerateSerializer, Immutable]
internal sealed record ChassisDelta
{
    /// <summary>A new slot map (replaces the old one).</summary>
    [Id(0)] public SlotMap? SlotMap { get; init; }

    /// <summary>An event to add or replace (by id).</summary>
    [Id(1)] public ChassisEvent? Event { get; init; }

    /// <summary>A fault injected into a card, with its time.</summary>
    [Id(2)] public string? FaultCard { get; init; }

    /// <summary>Time of <see cref="FaultCard"/>.</summary>
    [Id(3)] public DateTimeOffset FaultAt { get; init; }

    /// <summary>Cards seen for the first time.</summary>
    [Id(4)] public IReadOnlyList<string> JoinedCards { get; init; } = [];

    /// <summary>A new upgrade campaign record (replaces the old one).</summary>
    [Id(5)] public Upgrade.CampaignRecord? Campaign { get; init; }
}

/// <summary>The chassis manager's hot state: slot map, known cards, fault times, recent events.</summary>
[GenerateSerializer]
internal sealed class ChassisState : IHotState<ChassisDelta>
{
    /// <summary>How many events are kept.</summary>
    public const int MaxEvents = 200;

    /// <summary>The slot map.</summary>
    [Id(0)] public SlotMap SlotMap { get; set; } = new();

    /// <summary>Recent events, oldest first.</summary>
    [Id(1)] public List<ChassisEvent> Events { get; init; } = [];

    /// <summary>Card → time a fault was injected into it (consumed by the next failover of that card).</summary>
    [Id(2)] public Dictionary<string, DateTimeOffset> Faults { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Cards ever seen.</summary>
    [Id(3)] public HashSet<string> KnownCards { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The upgrade campaign record (U1), or null.</summary>
    [Id(4)] public Upgrade.CampaignRecord? Campaign { get; set; }

    /// <inheritdoc />
    public int Size => SlotMap.Slots.Count;

    /// <summary>The id of the newest event.</summary>
    public long LastEventId => Events.Count == 0 ? 0 : Events[^1].Id;

    /// <inheritdoc />
    public void Apply(ChassisDelta delta)
    {
        if (delta.SlotMap is { } map)
        {
            SlotMap = map;
        }

        if (delta.FaultCard is { } card)
        {
            Faults[card] = delta.FaultAt;
        }

        KnownCards.UnionWith(delta.JoinedCards);
        if (delta.Campaign is { } campaign)
        {
            Campaign = campaign;
        }

        if (delta.Event is { } e)
        {
            var index = Events.FindIndex(x => x.Id == e.Id);
            if (index >= 0)
            {
                Events[index] = e;
            }
            else
            {
                Events.Add(e);
                if (e.Kind == ChassisEventKind.CardFailover)
                {
                    Faults.Remove(e.CardId);
                }

                if (Events.Count > MaxEvents)
                {
                    Events.RemoveRange(0, Events.Count - MaxEvents);
                }
            }
        }
    }
}
