using Microsoft.Extensions.Logging;

namespace Redundancy.Orleans.Diagnostics;

/// <summary>Source-generated log messages of the runtime, with stable event ids (1000-1999).</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Debug, "Placed {Grain} on card {CardId} ({Strategy})")]
    public static partial void Placed(ILogger logger, string grain, string cardId, string strategy);

    [LoggerMessage(1001, LogLevel.Information, "Process {Process} restored epoch {Epoch} seq {Seq} from {Source} in {RestoreMs:0.0} ms; audit: {Audit}")]
    public static partial void Restored(ILogger logger, string process, long epoch, long seq, string source, double restoreMs, string audit);

    [LoggerMessage(1002, LogLevel.Warning, "Process {Process} crash injected (poison: {Poison}); its in-memory state is dropped")]
    public static partial void CrashInjected(ILogger logger, string process, bool poison);

    [LoggerMessage(1003, LogLevel.Warning, "Process {Process} failed to (re)start: {Error}")]
    public static partial void ProcessRestartFailed(ILogger logger, string process, string error);

    [LoggerMessage(1004, LogLevel.Error, "Process {Process} quarantined by the restart-intensity limit: {Error}")]
    public static partial void ProcessQuarantined(ILogger logger, string process, string error);

    [LoggerMessage(1005, LogLevel.Warning, "Process {Process} is fenced and stops serving: {Reason}")]
    public static partial void Fenced(ILogger logger, string process, string reason);

    [LoggerMessage(1006, LogLevel.Debug, "Keep-alive of {Process} skipped: {Error}")]
    public static partial void KeepAliveFailed(ILogger logger, string process, string error);

    [LoggerMessage(1008, LogLevel.Information, "Process {Process} moves from card {From} to card {To} (slot map changed)")]
    public static partial void Moving(ILogger logger, string process, string from, string to);

    [LoggerMessage(1009, LogLevel.Warning, "Chassis: {Message}")]
    public static partial void ChassisEvent(ILogger logger, string message);

    [LoggerMessage(1010, LogLevel.Warning, "Card manager could not reach the chassis manager: {Error}")]
    public static partial void ChassisUnreachable(ILogger logger, string error);

    [LoggerMessage(1007, LogLevel.Warning, "Process {Process}: replica {Index} did not answer the restore: {Error}")]
    public static partial void RestoreReplicaFailed(ILogger logger, string process, int index, string error);

    [LoggerMessage(1011, LogLevel.Error, "Process {Process}: PROTOCOL VIOLATION: the audit found {Count} acknowledged change(s) the restored state lacked: {Findings}")]
    public static partial void ProtocolViolation(ILogger logger, string process, int count, string findings);

    [LoggerMessage(1012, LogLevel.Warning, "Process {Process} cannot restore and stays unavailable: {Reason}")]
    public static partial void RestoreRefused(ILogger logger, string process, string reason);

    [LoggerMessage(1013, LogLevel.Information, "Process {Process} defers its hand-over to card {Target}: {Reason}")]
    public static partial void HandOverDeferred(ILogger logger, string process, string target, string reason);

    [LoggerMessage(1014, LogLevel.Critical, "Process {Process} reached armed crash point {Point}: this card process kills itself now (fault injection)")]
    public static partial void CrashPointHit(ILogger logger, string process, string point);
}
