namespace Redundancy.Orleans.Chassis;

/// <summary>Kinds of chassis events.</summary>
public enum ChassisEventKind
{
    /// <summary>A card was declared dead and its slot moved to a spare (or degraded).</summary>
    CardFailover = 0,

    /// <summary>A card joined as a spare.</summary>
    CardJoined = 1,

    /// <summary>A degraded slot got a card again.</summary>
    SlotRestored = 2,

    /// <summary>A card left gracefully.</summary>
    CardLeft = 3,

    /// <summary>A planned switchover: an operator (or an upgrade campaign) moved a slot to a spare.</summary>
    Switchover = 4,

    /// <summary>An upgrade campaign step (U1).</summary>
    Upgrade = 5,

    /// <summary>Every copy of the chassis manager's state was lost: it rebuilt the control plane from the cards and membership (I7).</summary>
    ControlPlaneRebuilt = 6,
}

/// <summary>Something the chassis manager did, with phase timings for a failover.</summary>
[GenerateSerializer, Immutable]
public sealed record ChassisEvent
{
    /// <summary>Event number, increasing.</summary>
    [Id(0)] public long Id { get; set; }

    /// <summary>Kind.</summary>
    [Id(1)] public ChassisEventKind Kind { get; set; }

    /// <summary>The card the event is about.</summary>
    [Id(2)] public required string CardId { get; set; }

    /// <summary>Slot concerned.</summary>
    [Id(3)] public int? Slot { get; set; }

    /// <summary>The card that took the slot over (null: degraded, processes spread).</summary>
    [Id(4)] public string? NewCardId { get; set; }

    /// <summary>When the fault happened, if known (for example the kill API's time).</summary>
    [Id(5)] public DateTimeOffset? FaultAt { get; set; }

    /// <summary>When the chassis manager saw the card dead.</summary>
    [Id(6)] public DateTimeOffset DetectedAt { get; set; }

    /// <summary>When the slot map was changed.</summary>
    [Id(7)] public DateTimeOffset? PlacedAt { get; set; }

    /// <summary>When every process of the slot was ready again.</summary>
    [Id(8)] public DateTimeOffset? ReadyAt { get; set; }

    /// <summary>Fault to detection, when the fault time is known.</summary>
    [Id(9)] public double? DetectMs { get; set; }

    /// <summary>Detection to slot map change.</summary>
    [Id(10)] public double? PlaceMs { get; set; }

    /// <summary>Longest restore (activation start to state installed) among the slot's processes.</summary>
    [Id(11)] public double? RestoreMs { get; set; }

    /// <summary>Longest audit among the slot's processes.</summary>
    [Id(12)] public double? AuditMs { get; set; }

    /// <summary>Fault (or detection) to every process ready.</summary>
    [Id(13)] public double? TotalMs { get; set; }

    /// <summary>Processes of the slot.</summary>
    [Id(14)] public int Processes { get; set; }

    /// <summary>Processes ready so far.</summary>
    [Id(15)] public int ProcessesReady { get; set; }

    /// <summary>A human-readable line.</summary>
    [Id(16)] public string? Message { get; set; }

    /// <summary>
    /// A slot move (failover, restored slot, switchover) whose processes are not all ready yet: its timings and message
    /// still change, so a reader that copies or prints events reads it again.
    /// </summary>
    public bool IsOpen() => Kind is ChassisEventKind.CardFailover or ChassisEventKind.SlotRestored or ChassisEventKind.Switchover && ReadyAt is null;

    /// <summary>
    /// The processes ready so far, by name: replicated with the event, so that a chassis manager that moves or
    /// restores while the event is open counts each process once and completes the event.
    /// </summary>
    [Id(17)] public IReadOnlyList<string> ReadyProcesses { get; set; } = [];
}
