using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Redundancy.Orleans.Configuration;
using Redundancy.Orleans.ManagementApi.Configuration;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>
/// What the management API's endpoints answer, for an application's own endpoints too (<see cref="IManagementApiEndpoints"/>):
/// a JSON document, or a problem detail (RFC 9457) that says what was wrong.
/// </summary>
public static class ManagementResults
{
    /// <summary>A problem detail with its status, title and detail.</summary>
    public static IResult Problem(int status, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });

    /// <summary>Runs an action; its answer as JSON, an anticipated refusal as its problem, anything else to the central handler.</summary>
    /// <param name="subject">Who did not answer, in a 503's detail ("Process 'bgp-1'").</param>
    public static async Task<IResult> Guard<T>(Func<Task<T>> action, string subject = "The chassis")
    {
        try
        {
            return Results.Json(await action());
        }
        catch (Exception e) when (ApiProblems.For(e, subject) is { } problem)
        {
            return Results.Problem(problem);
        }
    }

    /// <summary>
    /// Calls a process through its application interface: 400 for a bad name or a process of another kind, 404 for an
    /// unknown one, otherwise as <see cref="Guard{T}"/>.
    /// </summary>
    public static Task<IResult> CallProcess<TProcess, T>(HttpContext context, string name, Func<TProcess, Task<T>> action)
        where TProcess : IAddressable =>
        ProcessNames.IsValid(name)
            ? Guard(() => action(context.RequestServices.GetRequiredService<ProcessDirectory>().Get<TProcess>(name)), $"Process '{name}'")
            : Task.FromResult(InvalidProcessName(name));

    /// <summary>
    /// Reads a JSON body; a bad one gives a problem detail and no value: 400 bad JSON or JSON null, 413 too large,
    /// 415 not JSON.
    /// </summary>
    /// <param name="what">What the body should be, in the problem's detail ("route batch").</param>
    public static async Task<(T? Value, IResult? Error)> ReadBodyAsync<T>(HttpRequest request, string what)
        where T : class
    {
        try
        {
            var value = await request.ReadFromJsonAsync<T>(request.HttpContext.RequestAborted);
            return value is null
                ? (null, Problem(StatusCodes.Status400BadRequest, "Invalid input", $"The body is JSON null; send a {what}."))
                : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "Invalid JSON", $"The body is not a {what}: {e.Message}"));
        }
        catch (BadHttpRequestException e)
        {
            return (null, Problem(e.StatusCode, "Bad request", e.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge(request.HttpContext) : e.Message));
        }
        catch (InvalidOperationException e)
        {
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"Send the {what} as JSON (Content-Type: application/json). {e.Message}"));
        }
    }

    /// <summary>The detail of a 413: the limit and the host setting that sets it.</summary>
    internal static string TooLarge(HttpContext context)
    {
        var setting = context.RequestServices.GetService<IOptions<ManagementApiOptions>>()?.Value.BodyLimitSetting ?? ManagementApiOptions.DefaultBodyLimitSetting;
        return context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit
            ? $"The body is larger than {limit} bytes ({setting})."
            : $"The body is larger than the host allows ({setting}).";
    }

    internal static IResult InvalidProcessName(string name) =>
        Problem(StatusCodes.Status400BadRequest, "Invalid input", $"Process name '{Shorten(name)}' is invalid: {ProcessNames.Rule}.");

    internal static string Shorten(string text) => text.Length > 80 ? text[..80] + "..." : text;
}
