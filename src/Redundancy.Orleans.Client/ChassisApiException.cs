using System.Net;

namespace Redundancy.Orleans.Client;

/// <summary>The management API refused a request; <see cref="Exception.Message"/> is its problem detail.</summary>
public sealed class ChassisApiException(HttpStatusCode status, string title, string detail, string? type = null)
    : Exception($"{(int)status} {title}: {detail}")
{
    /// <summary>The problem type (<see cref="Processes.ProblemTypes"/>), when the API gave one.</summary>
    public string? Type { get; } = type;

    /// <summary>A write refused before it was sent anywhere: nothing changed; safe to retry.</summary>
    public bool NotProtected => Type == Processes.ProblemTypes.NotProtected;

    /// <summary>A write whose outcome is unknown: it may or may not survive.</summary>
    public bool OutcomeUnknown => Type == Processes.ProblemTypes.OutcomeUnknown;

    /// <summary>HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>Problem title.</summary>
    public string Title { get; } = title;

    /// <summary>Problem detail.</summary>
    public string Detail { get; } = detail;
}
