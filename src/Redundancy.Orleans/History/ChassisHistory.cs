using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.ControlPlane;

namespace Redundancy.Orleans.History;

/// <summary>
/// The durable event and audit history of a chassis, in control-plane storage (<see cref="ControlPlaneStorage"/>: the
/// control silo's memory in the embedded chassis, Redis in cluster mode): it outlives any line card, including the
/// chassis manager's, and keeps far more than the chassis manager's recent events. The chassis manager stays the
/// source of events: the history copies them (every <see cref="HistoryRecorder.Interval"/> on the control silo, and
/// before every read, so that a read sees what the chassis manager already has).
/// </summary>
public sealed class ChassisHistory
{
    private readonly IGrainFactory _grains;
    private readonly ILogger<ChassisHistory> _logger;
    private readonly SemaphoreSlim _sync = new(1, 1);
    private long _floor;

    /// <summary>Creates the history service of a silo.</summary>
    public ChassisHistory(IGrainFactory grains, IServiceProvider services, ILogger<ChassisHistory> logger)
    {
        _grains = grains;
        _logger = logger;
        Enabled = services.GetKeyedService<IGrainStorage>(ControlPlaneStorage.Name) is not null;
    }

    /// <summary>True when control-plane storage is configured; otherwise reads answer from the chassis manager's recent events.</summary>
    public bool Enabled { get; }

    /// <summary>Largest page a read returns.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>
    /// Up to <paramref name="limit"/> events with an id above <paramref name="after"/>, oldest first. When the history
    /// cannot be read, the chassis manager's recent events (what it has in memory) answer instead.
    /// </summary>
    public async Task<IReadOnlyList<ChassisEvent>> GetEventsAsync(long after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (Enabled)
        {
            try
            {
                await SyncEventsAsync();
                return await _grains.GetGrain<IEventHistoryGrain>(IEventHistoryGrain.Key).Read(after, Math.Min(limit, MaxLimit));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                HistoryLog.HistoryUnavailable(_logger, e.Message);
            }
        }

        return [.. (await Manager.GetEvents(after)).Take(limit)];
    }

    /// <summary>Up to <paramref name="limit"/> audits of <paramref name="process"/> with an id above <paramref name="after"/>, oldest first.</summary>
    /// <exception cref="NotSupportedException">No control-plane storage is configured.</exception>
    public Task<IReadOnlyList<AuditRecord>> GetAuditsAsync(string process, long after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return Enabled
            ? _grains.GetGrain<IAuditHistoryGrain>(process).Read(after, Math.Min(limit, MaxLimit))
            : throw new NotSupportedException($"Audit history needs the control-plane grain storage '{ControlPlaneStorage.Name}'.");
    }

    /// <summary>
    /// Copies the chassis manager's new and changed events into the history. It asks only from the oldest event that was
    /// still open last time (a failover's timings complete later), or else from the newest one recorded.
    /// </summary>
    public async Task SyncEventsAsync()
    {
        await _sync.WaitAsync();
        try
        {
            var events = await Manager.GetEvents(_floor);
            if (events.Count == 0)
            {
                return;
            }

            await _grains.GetGrain<IEventHistoryGrain>(IEventHistoryGrain.Key).Record(events);
            var open = events.Where(e => e.IsOpen()).Select(e => e.Id).DefaultIfEmpty(long.MaxValue).Min();
            _floor = open == long.MaxValue ? events.Max(e => e.Id) : open - 1;
        }
        finally
        {
            _sync.Release();
        }
    }

    private IChassisManager Manager => _grains.GetGrain<IChassisManager>(IChassisManager.Key);
}
