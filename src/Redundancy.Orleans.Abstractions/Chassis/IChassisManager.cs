namespace Redundancy.Orleans.Chassis;

/// <summary>
/// The chassis manager (M5, M9): owns the slot map and the spare pool, reacts to membership and records
/// failovers. Itself a redundant process (key <see cref="Key"/>), so it survives the loss of its card.
/// </summary>
public interface IChassisManager : IGrainWithStringKey
{
    /// <summary>The only key.</summary>
    public const string Key = "chassis";

    /// <summary>Reconciles the slot map with membership (at least <paramref name="membershipVersion"/>) and returns it.</summary>
    Task<SlotMap> Reconcile(long membershipVersion);

    /// <summary>The current slot map.</summary>
    Task<SlotMap> GetSlotMap();

    /// <summary>Records when a fault was injected into a card, so that the failover's detect phase can be timed.</summary>
    Task RecordFault(string cardId, DateTimeOffset at);

    /// <summary>A process reports it is ready on a card (closes failover timing).</summary>
    Task ReportReady(ProcessReadyReport report);

    /// <summary>Recent events, newest last.</summary>
    Task<IReadOnlyList<ChassisEvent>> GetEvents(long afterId);

    /// <summary>
    /// Planned switchover (U1): moves <paramref name="slot"/> to <paramref name="targetCardId"/>, an alive card
    /// serving no slot (a spare). The slot's processes hand over at once; the vacated card becomes a spare.
    /// Returns the switchover event (its timings close when every process is ready on the new card).
    /// </summary>
    /// <exception cref="Processes.RedundancyException">Unknown slot or card, the card is dead, the control silo, or serves a slot.</exception>
    Task<ChassisEvent> Switchover(int slot, string targetCardId);

    /// <summary>The upgrade campaign record, or null when there never was one.</summary>
    Task<Upgrade.CampaignRecord?> GetCampaign();

    /// <summary>
    /// Saves the upgrade campaign record if nobody saved another revision since <paramref name="record"/> was
    /// read (compare-and-swap on <see cref="Upgrade.CampaignRecord.Revision"/>); adds <paramref name="note"/> to the
    /// event timeline. Returns the saved record with its new revision.
    /// </summary>
    /// <exception cref="Processes.RedundancyException">Conflict: the record changed since it was read.</exception>
    Task<Upgrade.CampaignRecord> SaveCampaign(Upgrade.CampaignRecord record, string? note);
}

/// <summary>A process tells the chassis manager it is ready on a card, with its restore timings.</summary>
[GenerateSerializer, Immutable]
public sealed record ProcessReadyReport(
    [property: Id(0)] string Process,
    [property: Id(1)] int Slot,
    [property: Id(2)] string CardId,
    [property: Id(3)] double RestoreMs,
    [property: Id(4)] double AuditMs,
    [property: Id(5)] DateTimeOffset ReadyAt)
{
    /// <summary>Where the state came from: the replica, its card and how the copy came (chunks, bytes); or why it started empty.</summary>
    [Id(6)] public string? RestoredFrom { get; init; }
}
