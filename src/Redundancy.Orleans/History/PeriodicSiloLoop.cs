namespace Redundancy.Orleans.History;

/// <summary>
/// Background work a silo does every <paramref name="interval"/> while it is active (copying events, pumping audits):
/// started when the silo becomes active, stopped with it; a tick that throws is the caller's to handle.
/// </summary>
internal sealed class PeriodicSiloLoop(string name, TimeSpan interval, Func<CancellationToken, Task> tick)
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    /// <param name="lifecycle">The silo's lifecycle.</param>
    /// <param name="afterStop">Runs once the loop has stopped (for example to send what the last interval left).</param>
    public void Subscribe(ISiloLifecycle lifecycle, Func<Task>? afterStop = null) =>
        lifecycle.Subscribe(name, ServiceLifecycleStage.Active, _ =>
        {
            _loop = Task.Run(() => RunAsync(_stopping.Token));
            return Task.CompletedTask;
        }, async ct =>
        {
            await _stopping.CancelAsync();
            await _loop.WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (afterStop is not null)
            {
                await afterStop();
            }
        });

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await tick(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
