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
