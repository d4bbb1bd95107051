using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Redundancy.Orleans.Client;

namespace Redundancy.Orleans.Silo.Embedded;

/// <summary>
/// When the embedded chassis sends a start-up batch again: while its process restarts or moves (a card fault during the
/// load), the management API answers 503 or "not serving" and the batch is retried with backoff, for up to
/// <see cref="BatchTimeout"/>. Announcing the same routes again is idempotent, so any answer that leaves the outcome
/// open may be retried too. The one place to adjust when the API's answers change.
/// </summary>
internal static class WorkloadRetry
{
    /// <summary>How long one batch keeps being retried: a failover with detection takes seconds; a minute is ample.</summary>
    public static readonly TimeSpan BatchTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The first wait between tries; it doubles (with jitter) up to <see cref="MaxDelay"/>.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    /// <summary>Answers after which the same batch may be sent again.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        // Restarting, moving, no live card serves the slot yet, did not answer in time, or (protocol) refused as not
        // protected: nothing changed, or announcing again is harmless.
        ChassisApiException { Status: HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout } => true,
        // An activation fenced by a newer one (it moved): the next call reaches the new one.
        ChassisApiException { Status: HttpStatusCode.Conflict, Title: "Process not serving" } => true,
        // The API itself did not answer (the HTTP client's timeout).
        HttpRequestException or TimeoutException => true,
        TaskCanceledException t => t.InnerException is TimeoutException,
        _ => false,
    };

    /// <summary>The pipeline for one batch; <paramref name="onRetry"/> counts the retries.</summary>
    public static ResiliencePipeline Create(Action<Exception?> onRetry) => new ResiliencePipelineBuilder()
        .AddTimeout(new TimeoutStrategyOptions { Timeout = BatchTimeout })
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = FirstDelay,
            MaxDelay = MaxDelay,
            UseJitter = true,
            OnRetry = args =>
            {
                onRetry(args.Outcome.Exception);
                return default;
            },
        })
        .Build();
}
