using System.Net;

namespace Redundancy.Orleans.Client;

/// <summary>The management API refused a request; <see cref="Exception.Message"/> is its problem detail.</summary>
public sealed class ChassisApiException(HttpStatusCode status, string title, string detail)
    : Exception($"{(int)status} {title}: {detail}")
{
    /// <summary>HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>Problem title.</summary>
    public string Title { get; } = title;

    /// <summary>Problem detail.</summary>
    public string Detail { get; } = detail;
}
