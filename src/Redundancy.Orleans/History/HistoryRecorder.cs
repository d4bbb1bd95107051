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

    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle)
    {
        if (card.Role != CardRoles.Control || !history.Enabled)
        {
            return;
        }

        lifecycle.Subscribe(nameof(HistoryRecorder), ServiceLifecycleStage.Active, _ =>
        {
            _loop = Task.Run(() => RunAsync(_stopping.Token));
            return Task.CompletedTask;
        }, async ct =>
        {
            await _stopping.CancelAsync();
            await _loop.WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        });
    }

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval);
        string? lastError = null;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                // No card can host the chassis manager yet (the chassis is starting): nothing to copy, and asking would
                // only fail.
                if (cards.ChassisHome() is null)
                {
                    continue;
                }

                try
                {
                    await history.SyncEventsAsync();
                    lastError = null;
                }
                catch (Exception e) when (e is not OutOfMemoryException && !ct.IsCancellationRequested)
                {
                    // The chassis manager is moving or not up yet: say so once, try again next time.
                    if (e.Message != lastError)
                    {
                        HistoryLog.EventsNotRecorded(logger, e.Message);
                        lastError = e.Message;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
