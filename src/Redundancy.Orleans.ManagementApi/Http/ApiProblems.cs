using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>
/// The one mapping of failures to problem details (RFC 9457) for the management API: the endpoints' guard uses it
/// with the subject of the call, and the central exception handler for anything that escaped an endpoint.
/// </summary>
internal static class ApiProblems
{
    /// <summary>The problem a failure maps to; null for a failure nobody anticipated (a bug: 500, logged).</summary>
    public static ProblemDetails? For(Exception exception, string subject = "The chassis")
    {
        var e = Unwrap(exception);
        return e switch
        {
            RedundancyException r => r.Kind switch
            {
                RedundancyErrorKind.InvalidInput => New(StatusCodes.Status400BadRequest, "Invalid input", r.Message),
                RedundancyErrorKind.UnknownProcess => New(StatusCodes.Status404NotFound, "Not found", r.Message),
                RedundancyErrorKind.NotServing => New(StatusCodes.Status409Conflict, "Process not serving", r.Message),
                RedundancyErrorKind.Restarting => New(StatusCodes.Status503ServiceUnavailable, "Process restarting", r.Message),
                RedundancyErrorKind.Conflict => New(StatusCodes.Status409Conflict, "Conflict", r.Message),
                RedundancyErrorKind.NotProtected => New(StatusCodes.Status503ServiceUnavailable, "Not protected", r.Message, ProblemTypes.NotProtected),
                RedundancyErrorKind.OutcomeUnknown => New(StatusCodes.Status504GatewayTimeout, "Outcome unknown", r.Message, ProblemTypes.OutcomeUnknown),
                _ => New(StatusCodes.Status503ServiceUnavailable, "Unavailable", r.Message, ProblemTypes.Unavailable),
            },
            BadHttpRequestException b => New(b.StatusCode, "Bad request", b.Message),
            ArgumentException or FormatException => New(StatusCodes.Status400BadRequest, "Invalid input", e.Message),
            TimeoutException or OrleansException or SiloUnavailableException =>
                New(StatusCodes.Status503ServiceUnavailable, "Unavailable", $"{subject} did not answer: {e.Message}"),
            NotSupportedException and not PlatformNotSupportedException => New(StatusCodes.Status501NotImplemented, "Not available", e.Message),
            InvalidOperationException or PlatformNotSupportedException => New(StatusCodes.Status500InternalServerError, "Operation failed", e.Message),
            _ => null,
        };
    }

    /// <summary>What an unanticipated failure answers: still a problem with a detail, never an empty 500.</summary>
    public static ProblemDetails Unexpected(Exception exception, HttpContext context)
    {
        var e = Unwrap(exception);
        return New(StatusCodes.Status500InternalServerError, "Internal error",
            $"{context.Request.Method} {context.Request.Path} failed: {e.GetType().Name}: {e.Message} (logged by the control silo; trace {context.TraceIdentifier}).");
    }

    private static ProblemDetails New(int status, string title, string detail, string? type = null) => new() { Status = status, Title = title, Detail = detail, Type = type };

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerException: { } inner } ? Unwrap(inner) : e;
}
