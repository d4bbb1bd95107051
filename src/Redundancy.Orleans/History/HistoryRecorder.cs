using Microsoft.Extensions.Logging;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Hosting;

namespace Redundancy.Orleans.History;

/// <summary>
/// On the control silo: copies chassis events into the durable history every <see cref="Interval"/>, whether anyone
/// reads them or not (the chassis manager keeps only its recent events).
/// </summary>
internal sealed class HistoryRecorder(ChassisHistory history, CardIdentity card, CardDirectory cards, ILogger<HistoryRecorder> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private string? _lastError;

    public void Participate(ISiloLifecycle lifecycle)
    {
        if (card.Role == CardRoles.Control && history.Enabled)
        {
            new PeriodicSiloLoop(nameof(HistoryRecorder), Interval, RecordAsync).Subscribe(lifecycle);
        }
    }

    private async Task RecordAsync(CancellationToken ct)
    {
        // No card can host the chassis manager yet (the chassis is starting): nothing to copy, and asking would only fail.
        if (cards.ChassisHome() is null)
        {
            return;
        }

        try
        {
            await history.SyncEventsAsync();
            _lastError = null;
        }
        catch (Exception e) when (e is not OutOfMemoryException && !ct.IsCancellationRequested)
        {
            // The chassis manager is moving or not up yet: say so once, try again next time.
            if (e.Message != _lastError)
            {
                HistoryLog.EventsNotRecorded(logger, e.Message);
                _lastError = e.Message;
            }
        }
    }
}
