using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Bench.Harness;

/// <summary>Calls the scenarios share.</summary>
internal static class ChassisCalls
{
    /// <summary>A call can still reach the crashed activation on its way out ("restarting"): retry, as any client would.</summary>
    public static async Task PingUntilRestoredAsync(IRedundantProcess process)
    {
        while (true)
        {
            try
            {
                await process.Ping();
                return;
            }
            catch (RedundancyException e) when (e.Kind == RedundancyErrorKind.Restarting)
            {
                await Task.Yield();
            }
        }
    }

    /// <summary>
    /// Ready in an epoch after <paramref name="epoch"/>, polled every 10 ms. Unlike <see cref="PingUntilRestoredAsync"/>, it does
    /// not take an unavailable process (a restore that found no copy in time answers pings but does not serve) for restored.
    /// </summary>
    public static async Task<ProcessStatus> ReadyAfterAsync(IRedundantProcess process, string name, long epoch, TimeSpan timeout)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var status = await process.GetStatus();
                if (status.State == ProcessState.Ready && status.Epoch > epoch)
                {
                    return status;
                }

                if (deadline.Elapsed > timeout)
                {
                    throw new TimeoutException($"{name} not ready in an epoch after {epoch} within {timeout.TotalMinutes:0} min: state {status.State}, epoch {status.Epoch}, {status.Reason}");
                }
            }
            catch (RedundancyException e) when (e.Kind == RedundancyErrorKind.Restarting)
            {
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Every process ready and protected: each replica in sync.</summary>
    public static Task<Cards.ChassisStatus> WaitProtectedAsync(this ChassisClient api, TimeSpan timeout, string phase) =>
        api.WaitForAsync(s => s.Processes.All(p => p.State == ProcessState.Ready && p.Protected && p.Replicas.All(r => r.InSync)), timeout, phase);

    /// <summary>Waits for a chassis event (a completed failover, for example); null on timeout.</summary>
    public static async Task<ChassisEvent?> WaitForEventAsync(this ChassisClient api, long after, Func<ChassisEvent, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (DateTime.UtcNow < deadline && await timer.WaitForNextTickAsync())
        {
            try
            {
                if ((await api.GetEventsAsync(after)).FirstOrDefault(match) is { } found)
                {
                    return found;
                }
            }
            catch (Exception e) when (e is HttpRequestException or ChassisApiException)
            {
                // the chassis manager may be moving (its card died)
            }
        }

        return null;
    }
}
