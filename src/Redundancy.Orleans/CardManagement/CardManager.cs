using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.CardManagement;

/// <summary>
/// Per-card manager (M6, M9): keeps the processes this card should run active — nothing in Orleans
/// re-activates a grain by itself — restarts a faulted process on this card at once, applies the
/// restart-intensity limit, and escalates membership changes to the chassis manager, whose slot map it
/// keeps in this silo's <see cref="SlotMapCache"/>. When the map gives this card a slot (it was the spare),
/// it activates that slot's processes eagerly (M4).
/// </summary>
internal sealed class CardManager(
    ProcessDirectory processes,
    CardDirectory cards,
    SlotMapCache slotMap,
    RestartTracker restarts,
    IClusterMembershipService membership,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<RedundancyOptions> options,
    TimeProvider time,
    ILogger<CardManager> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly Channel<string> _restartRequests = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<bool> _wakeups = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private Task _membershipLoop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(CardManager), ServiceLifecycleStage.Active, OnStart, OnStop);

    /// <summary>True once this card stopped (its processes are deactivated because the silo shuts down, not because they failed).</summary>
    public bool Stopping => _stopping.IsCancellationRequested;

    /// <summary>Asks for a process to be re-activated now (after a crash or an unexpected deactivation).</summary>
    public void RequestRestart(string process) => _restartRequests.Writer.TryWrite(process);

    private Task OnStart(CancellationToken ct)
    {
        slotMap.Changed += _ => _wakeups.Writer.TryWrite(true);
        _loop = Task.Run(() => RunAsync(_stopping.Token));
        _membershipLoop = Task.Run(() => WatchMembershipAsync(_stopping.Token));
        return Task.CompletedTask;
    }

    private async Task OnStop(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        _restartRequests.Writer.TryComplete();
        await Task.WhenAll(_loop, _membershipLoop).WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Escalates every membership change to the chassis manager at once (M9).</summary>
    private async Task WatchMembershipAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(ct))
            {
                await ReconcileAsync(snapshot.Version.Value);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task ReconcileAsync(long version)
    {
        try
        {
            var map = await grains.GetGrain<IChassisManager>(IChassisManager.Key).Reconcile(version);
            slotMap.TryUpdate(map);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.ChassisUnreachable(logger, e.Message);
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.Value.KeepAliveInterval);
        var tick = timer.WaitForNextTickAsync(ct).AsTask();
        var wake = _wakeups.Reader.ReadAsync(ct).AsTask();
        await ReconcileAsync(membership.CurrentSnapshot.Version.Value);
        await EnsureAllAsync();
        while (!ct.IsCancellationRequested)
        {
            var request = _restartRequests.Reader.WaitToReadAsync(ct).AsTask();
            var done = await Task.WhenAny(tick, request, wake);
            if (ct.IsCancellationRequested)
            {
                return;
            }

            if (done == tick)
            {
                tick = timer.WaitForNextTickAsync(ct).AsTask();
                await ReconcileAsync(membership.CurrentSnapshot.Version.Value);
                await EnsureAllAsync();
            }
            else if (done == wake)
            {
                wake = _wakeups.Reader.ReadAsync(ct).AsTask();
                await EnsureAllAsync();
            }
            else
            {
                while (_restartRequests.Reader.TryRead(out var name))
                {
                    if (ServedHere(name))
                    {
                        await EnsureAsync(name);
                    }
                }
            }
        }
    }

    private bool ServedHere(string name) =>
        processes.Table.TryGet(name, out var d) && ServedHere(d, cards.ServingCards());

    private bool ServedHere(ProcessDefinition process, IReadOnlyList<(CardInfo Card, SiloAddress Silo)> serving) =>
        cards.CardForProcess(process, serving)?.Silo.Equals(silo.SiloAddress) == true;

    private Task EnsureAllAsync()
    {
        // One view of the cards for the whole sweep, not one per process. Paced: a takeover restores a few processes
        // at a time rather than all at once, so that the card keeps answering probes (issue 12), in restore priority
        // order (ForEachAsync takes them in the source's order as workers free up).
        var serving = cards.ServingCards();
        return Parallel.ForEachAsync(
            RestoreOrder.Of(processes.Table.All.Where(p => ServedHere(p, serving)), processes.KindRestorePriority),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrentRestores },
            async (p, _) => await EnsureAsync(p.Name));
    }

    private async Task EnsureAsync(string name)
    {
        // A failed activation (its restored state crashed it) counts as a restart and is retried at once,
        // until the restart-intensity limit quarantines it; a quarantined process activates as Quarantined.
        var restartingUntil = time.GetUtcNow() + TimeSpan.FromSeconds(5);
        for (var attempt = 0; attempt <= options.Value.MaxRestarts + 1 && !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await processes.Get(name).Ping();
                return;
            }
            catch (RedundancyException e) when (e.Kind == RedundancyErrorKind.Restarting && time.GetUtcNow() < restartingUntil)
            {
                // The crashed activation is still on its way out: not a failed restart, just too early.
                attempt--;
                await Task.Yield();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (e is RedundancyException { Kind: RedundancyErrorKind.UnknownProcess or RedundancyErrorKind.Unavailable } or TimeoutException or SiloUnavailableException)
                {
                    Log.KeepAliveFailed(logger, name, e.Message);
                    return;
                }

                Log.ProcessRestartFailed(logger, name, e.Message);
                if (restarts.RecordRestart(name, e.Message))
                {
                    Log.ProcessQuarantined(logger, name, e.Message);
                }

                // A process that keeps failing is not restarted in a tight loop: back off, doubling with each recent restart.
                await Task.Delay(restarts.Backoff(name), time, _stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
