using Microsoft.AspNetCore.Http;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>The problem statuses the endpoints describe, by name (with <c>using static</c>).</summary>
internal static class Statuses
{
    public const int BadRequest = StatusCodes.Status400BadRequest;
    public const int NotFound = StatusCodes.Status404NotFound;
    public const int Conflict = StatusCodes.Status409Conflict;
    public const int NotImplemented = StatusCodes.Status501NotImplemented;
}
