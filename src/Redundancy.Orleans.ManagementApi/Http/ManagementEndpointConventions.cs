using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>
/// The OpenAPI description of a management endpoint (served at <c>/openapi/v1.json</c>): its operation id, summary, the
/// typed document it answers, and the problem statuses it may answer. Every endpoint may also answer 401 (the token),
/// 500 (a failure nobody anticipated, still a problem with a detail) and 503 (the chassis did not answer).
/// </summary>
public static class ManagementEndpointConventions
{
    private static readonly int[] Always = [StatusCodes.Status401Unauthorized, StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable];

    /// <summary>Tags, names and summarizes an endpoint, with the document it answers and the problem statuses it may answer.</summary>
    public static RouteHandlerBuilder Describe<T>(this RouteHandlerBuilder builder, string tag, string name, string summary, params int[] problems)
    {
        builder.WithTags(tag).WithName(name).WithSummary(summary).Produces<T>(StatusCodes.Status200OK, "application/json");
        foreach (var status in problems.Concat(Always).Distinct().Order())
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }

    /// <summary>
    /// Describes a JSON request body in the document only. <c>Accepts&lt;T&gt;</c> would also make routing refuse other
    /// content types with a bare 415 before the endpoint, whose own 415 says what to send.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) => operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(T), null, ct) } },
        });
}
