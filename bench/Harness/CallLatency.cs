using System.Diagnostics;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;

namespace Redundancy.Orleans.Bench.Harness;

/// <summary>
/// Pings processes on cards that are not failing, one call at a time each, while a failover runs: the slowest answer
/// is how long a healthy card could not answer anything — what its membership probes see too.
/// </summary>
internal sealed class CallLatency : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops;
    private long _slowestTicks;

    private CallLatency(IClusterClient grains, IReadOnlyList<string> processes) =>
        _loops = [.. processes.Select(p => Task.Run(() => PingAsync(grains.GetGrain<IRoutingProcess>(p))))];

    /// <summary>The slowest ping so far (a ping still waiting counts with its time so far once the loop ends).</summary>
    public TimeSpan Slowest => TimeSpan.FromTicks(Interlocked.Read(ref _slowestTicks));

    public static CallLatency Start(IClusterClient grains, IReadOnlyList<string> processes) => new(grains, processes);

    private async Task PingAsync(IRoutingProcess process)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!_stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await process.AsReference<IRedundantProcess>().Ping().WaitAsync(_stop.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Unanswered or failed: the time it took still says how long the card did not answer.
            }

            var ticks = Stopwatch.GetElapsedTime(started).Ticks;
            long seen;
            while (ticks > (seen = Interlocked.Read(ref _slowestTicks)) && Interlocked.CompareExchange(ref _slowestTicks, ticks, seen) != seen)
            {
            }

            try
            {
                await timer.WaitForNextTickAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
