using Microsoft.OpenApi;

namespace Redundancy.Orleans.Silo.Api;

/// <summary>
/// The OpenAPI description of each endpoint (served at <c>/openapi/v1.json</c>): its operation id, summary, the
/// typed document it answers, and the problem statuses it may answer. Every endpoint may also answer 401 (the
/// token), 500 (a failure nobody anticipated, still a problem with a detail) and 503 (the chassis did not answer).
/// </summary>
internal static class ApiDocs
{
    public const string DocumentPath = "/openapi/{documentName}.json";

    private static readonly int[] Always = [StatusCodes.Status401Unauthorized, StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable];

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

    public static void AddDocument(IServiceCollection services) => services.AddOpenApi(o =>
    {
        // The management API only: the chassis view and the Orleans Dashboard are pages with their own JSON.
        o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
        o.AddDocumentTransformer(Describe);
    });

    private static Task Describe(OpenApiDocument document, Microsoft.AspNetCore.OpenApi.OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Redundancy.Orleans management API";
        document.Info.Description = "Status, fault injection, provisioning and upgrades of a chassis. JSON, camelCase, enums as strings; "
            + "every error is a problem detail (RFC 9457). With Chassis:ApiToken set, requests need 'Authorization: Bearer <token>'.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The chassis's Chassis:ApiToken. Needed by every request that changes something; by reads too when the API is not on loopback.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
        return Task.CompletedTask;
    }
}
