using Microsoft.Extensions.Logging;

namespace Redundancy.Orleans.History;

/// <summary>Source-generated log messages of the event and audit history, with stable event ids (1900-1919).</summary>
internal static partial class HistoryLog
{
    [LoggerMessage(1900, LogLevel.Warning, "Event history: event {Id} ({Kind} {CardId}, {DetectedAt:o}) differs from the recorded one ({RecordedKind} {RecordedCardId}, {RecordedAt:o}): the chassis manager's event numbering restarted; the recorded event is kept")]
    public static partial void EventIdReused(ILogger logger, long id, string kind, string cardId, DateTimeOffset detectedAt, string recordedKind, string recordedCardId, DateTimeOffset recordedAt);

    [LoggerMessage(1901, LogLevel.Warning, "Event history: could not record chassis events: {Error}")]
    public static partial void EventsNotRecorded(ILogger logger, string error);

    [LoggerMessage(1902, LogLevel.Warning, "Audit history: could not record {Count} audit(s) of {Process}: {Error}")]
    public static partial void AuditsNotRecorded(ILogger logger, int count, string process, string error);

    [LoggerMessage(1903, LogLevel.Warning, "Event history unavailable ({Error}): answering from the chassis manager's recent events")]
    public static partial void HistoryUnavailable(ILogger logger, string error);
}
