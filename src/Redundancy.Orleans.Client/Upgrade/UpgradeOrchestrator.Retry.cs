using System.Net;

namespace Redundancy.Orleans.Client.Upgrade;

/// <summary>Chassis calls during a campaign ride out the moments when the chassis manager moves.</summary>
public sealed partial class UpgradeOrchestrator
{
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A campaign moves the cards the chassis manager runs on, so the chassis can briefly answer 503 (its
    /// manager is restoring on another card) or not at all: such calls are retried for up to a minute; anything
    /// else fails at once.
    /// </summary>
    private async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var deadline = _time.GetUtcNow() + RetryFor;
        while (true)
        {
            try
            {
                return await call(ct);
            }
            catch (Exception e) when (IsTransient(e) && _time.GetUtcNow() < deadline && !ct.IsCancellationRequested)
            {
                await Task.Delay(RetryPause, _time, ct);
            }
        }
    }

    private static bool IsTransient(Exception e) =>
        e is HttpRequestException || e is ChassisApiException { Status: HttpStatusCode.ServiceUnavailable }
        || (e is TaskCanceledException && e.InnerException is TimeoutException);
}
