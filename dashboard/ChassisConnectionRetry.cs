namespace Redundancy.Orleans.Dashboard;

/// <summary>
/// The chassis may start after the dashboard (compose starts both at once): keep trying every 2 s, and say so in the log
/// (which OTLP export carries too) once per attempt.
/// </summary>
internal sealed partial class ChassisConnectionRetry(ClusterConnectionOptions cluster, ILogger<ChassisConnectionRetry> logger) : IClientConnectionRetryFilter
{
    private int _attempt;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        Waiting(logger, cluster.ClusterId, cluster.Membership, Interlocked.Increment(ref _attempt), exception.GetBaseException().Message);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        return true;
    }

    [LoggerMessage(1, LogLevel.Warning, "Dashboard: waiting for the chassis (cluster '{ClusterId}', {Membership} membership), attempt {Attempt}: {Reason}")]
    private static partial void Waiting(ILogger logger, string clusterId, string membership, int attempt, string reason);
}
