using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Diagnostics;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>
/// The central exception handler of the management API: whatever escapes an endpoint answers problem details
/// with a detail (anticipated failures with their status, anything else 500 and an error log), never an empty 500.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ApiProblems.For(exception);
        if (problem is null)
        {
            problem = ApiProblems.Unexpected(exception, httpContext);
            Unhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Management API: {Method} {Path} failed unexpectedly")]
    private static partial void Unhandled(ILogger logger, Exception exception, string method, string path);
}
