using Microsoft.Extensions.Logging;

namespace Redundancy.Orleans.FailureDetection;

/// <summary>Source-generated log messages of the failure detection (event ids 1800-1819).</summary>
internal static partial class FailureDetectionLog
{
    [LoggerMessage(1800, LogLevel.Warning, "Silo {Silo} ({Card}) is gone: its port refuses connections here and at {Witness}; declaring it dead now")]
    public static partial void DeclaringDead(ILogger logger, SiloAddress silo, string card, SiloAddress witness);

    [LoggerMessage(1801, LogLevel.Information, "Silo {Silo} ({Card}) refuses connections here but no other card confirmed it (attempt {Attempt} of {Attempts}); left to the probes")]
    public static partial void NotConfirmed(ILogger logger, SiloAddress silo, string card, int attempt, int attempts);

    [LoggerMessage(1802, LogLevel.Debug, "Connection to silo {Silo} ended; its port is {State}")]
    public static partial void ConnectionEnded(ILogger logger, SiloAddress silo, PortState state);

    [LoggerMessage(1803, LogLevel.Warning, "Closed-port check of silo {Silo} failed: {Error}")]
    public static partial void CheckFailed(ILogger logger, SiloAddress silo, string error);
}
