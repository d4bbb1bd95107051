using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.CardManagement;

/// <summary>
/// Per-card manager (M6, M9): keeps the processes of the slot this card serves active — nothing in
/// Orleans re-activates a grain by itself — restarts a faulted process on this card at once, and
/// applies the restart-intensity limit.
/// </summary>
internal sealed class CardManager(
    ProcessDirectory processes,
    CardDirectory cards,
    RestartTracker restarts,
    ILocalSiloDetails silo,
    IOptions<RedundancyOptions> options,
    ILogger<CardManager> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly Channel<string> _restartRequests = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(CardManager), ServiceLifecycleStage.Active, OnStart, OnStop);

    /// <summary>Asks for a process to be re-activated now (after a crash or an unexpected deactivation).</summary>
    public void RequestRestart(string process) => _restartRequests.Writer.TryWrite(process);

    private Task OnStart(CancellationToken ct)
    {
        _loop = Task.Run(() => RunAsync(_stopping.Token));
        return Task.CompletedTask;
    }

    private async Task OnStop(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        _restartRequests.Writer.TryComplete();
        await _loop.WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.Value.KeepAliveInterval);
        var tick = timer.WaitForNextTickAsync(ct).AsTask();
        await EnsureAllAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            var request = _restartRequests.Reader.WaitToReadAsync(ct).AsTask();
            var done = await Task.WhenAny(tick, request);
            if (ct.IsCancellationRequested)
            {
                return;
            }

            if (done == tick)
            {
                tick = timer.WaitForNextTickAsync(ct).AsTask();
                await EnsureAllAsync(ct);
                continue;
            }

            while (_restartRequests.Reader.TryRead(out var name))
            {
                if (ServedHere(name))
                {
                    await EnsureAsync(name);
                }
            }
        }
    }

    private bool ServedHere(string name) =>
        processes.Table.TryGet(name, out var d) && MySlots().Contains(d.Slot);

    private HashSet<int> MySlots() =>
        cards.GetCards().Where(c => c.Silo.Equals(silo.SiloAddress) && c.Card.Alive && c.Card.Slot is not null && c.Card.Role == CardRoles.Line)
            .Select(c => c.Card.Slot!.Value).ToHashSet();

    private async Task EnsureAllAsync(CancellationToken ct)
    {
        foreach (var slot in MySlots())
        {
            await Task.WhenAll(processes.Table.ForSlot(slot).Select(p => EnsureAsync(p.Name)));
            if (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task EnsureAsync(string name)
    {
        // A failed activation (its restored state crashed it) counts as a restart and is retried at once,
        // until the restart-intensity limit quarantines it; a quarantined process activates as Quarantined.
        for (var attempt = 0; attempt <= options.Value.MaxRestarts + 1 && !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await processes.Get(name).Ping();
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (e is RedundancyException { Kind: RedundancyErrorKind.UnknownProcess or RedundancyErrorKind.Unavailable })
                {
                    Log.KeepAliveFailed(logger, name, e.Message);
                    return;
                }

                Log.ProcessRestartFailed(logger, name, e.Message);
                if (restarts.RecordRestart(name, e.Message))
                {
                    Log.ProcessQuarantined(logger, name, e.Message);
                }
            }
        }
    }
}
