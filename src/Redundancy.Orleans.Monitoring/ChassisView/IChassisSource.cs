using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;

namespace Redundancy.Orleans.Monitoring.ChassisView;

/// <summary>Where the chassis view reads the chassis from.</summary>
public interface IChassisSource
{
    /// <summary>Cards and processes.</summary>
    Task<ChassisStatus> GetStatusAsync(CancellationToken ct);

    /// <summary>Chassis events (failovers with their phases), oldest first.</summary>
    Task<IReadOnlyList<ChassisEvent>> GetEventsAsync(CancellationToken ct);
}

/// <summary>Reads the chassis through grain calls: works in a silo and in an Orleans client alike.</summary>
internal sealed class GrainChassisSource(IGrainFactory grains) : IChassisSource
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public Task<ChassisStatus> GetStatusAsync(CancellationToken ct) =>
        grains.GetGrain<IChassisStatusGrain>(0).GetStatus().WaitAsync(Timeout, ct);

    public Task<IReadOnlyList<ChassisEvent>> GetEventsAsync(CancellationToken ct) =>
        grains.GetGrain<IChassisManager>(IChassisManager.Key).GetEvents(0).WaitAsync(Timeout, ct);
}
