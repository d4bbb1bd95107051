using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>The OpenAPI document of the management API: its endpoints only (marked by the group), with the bearer scheme.</summary>
internal static class ApiDocument
{
    public const string Path = "/openapi/{documentName}.json";

    /// <summary>Metadata of every endpoint in the management API's group: the document includes these only.</summary>
    public sealed class Marker
    {
        public static readonly Marker Instance = new();
    }

    public static void Add(IServiceCollection services) => services.AddOpenApi(o =>
    {
        // The management API only: the chassis view and the Orleans Dashboard are pages with their own JSON.
        o.ShouldInclude = d => d.ActionDescriptor.EndpointMetadata.OfType<Marker>().Any();
        o.AddDocumentTransformer(Describe);
    });

    private static Task Describe(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Redundancy.Orleans management API";
        document.Info.Description = "Status, fault injection, provisioning and upgrades of a chassis. JSON, camelCase, enums as strings; "
            + "every error is a problem detail (RFC 9457). With a management API token set (the silo's Chassis:ApiToken), requests need 'Authorization: Bearer <token>'.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The management API token. Needed by every request that changes something; by reads too when the API is not on loopback.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
        return Task.CompletedTask;
    }
}
