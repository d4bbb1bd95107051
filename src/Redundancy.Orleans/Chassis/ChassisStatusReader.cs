using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Chassis;

/// <summary>
/// Builds the whole chassis status from one silo's view: cards from membership and silo metadata, and each
/// process's own status (a process that does not answer in time is shown inactive with the reason).
/// Used by the management API of the control silo and, through <see cref="IChassisStatusGrain"/>, by clients.
/// </summary>
public sealed class ChassisStatusReader(CardDirectory cards, ProcessDirectory processes, IGrainFactory grains, SlotMapCache slotMap)
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Reads the status; never throws for an unreachable process.</summary>
    public async Task<ChassisStatus> ReadAsync()
    {
        // A status read right after a switchover must already show it; if the chassis manager is moving, the
        // cached map is the best there is.
        await slotMap.RefreshAsync(grains, StatusTimeout);

        var manager = Ask(IChassisManager.Key, 0, () => grains.GetGrain<IChassisManager>(IChassisManager.Key).AsReference<IRedundantProcess>().GetStatus());
        var statuses = Task.WhenAll(processes.Table.All.Select(d => Ask(d.Name, d.Slot, () => processes.Get(d.Name).GetStatus())));
        return new ChassisStatus
        {
            Cards = cards.GetCards().Select(c => c.Card).ToList(),
            Processes = await statuses,
            ChassisManager = await manager,
            SlotMapVersion = slotMap.Current?.Version ?? 0,
        };
    }

    private static async Task<ProcessStatus> Ask(string name, int slot, Func<Task<ProcessStatus>> call)
    {
        try
        {
            return await call().WaitAsync(StatusTimeout);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ProcessStatus { Name = name, Slot = slot, State = ProcessState.Inactive, Reason = Unwrap(e).Message };
        }
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerException: { } inner } ? Unwrap(inner) : e;
}
