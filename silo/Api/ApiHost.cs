using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Silo.Embedded;
using Redundancy.Orleans.Silo.Configuration;

namespace Redundancy.Orleans.Silo.Api;

/// <summary>The web host of the management API (embedded chassis, or a control card in cluster mode).</summary>
internal static class ApiHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args, IConfiguration configuration, ChassisOptions chassis)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls(chassis.ApiUrl);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = chassis.MaxRequestBodyBytes);
        builder.Services.ConfigureHttpJsonOptions(o => RedundancyJson.Apply(o.SerializerOptions));
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Detail ??= DefaultDetail(c.HttpContext, c.ProblemDetails.Status));
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        ApiDocs.AddDocument(builder.Services);
        builder.Services.AddSingleton(new ApiToken(chassis));
        builder.Services.AddSingleton<CardControl>();
        builder.Services.AddSingleton(sp => new ChassisStartup(embedded: chassis.Mode != "card", TimeProvider.System));
        return builder;
    }

    public static void Map(WebApplication app, ChassisOptions chassis)
    {
        // Whatever escapes an endpoint is a problem with a detail; errors without a body (no such endpoint, wrong
        // method) become problem details too.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var token = app.Services.GetRequiredService<ApiToken>();
        app.Use(async (context, next) =>
        {
            // The token guards the management API; the dashboard's actions have their own (Dashboard:Token).
            if (context.Request.Path.StartsWithSegments("/api") && token.Refusal(context.Request) is { } refusal)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Results.Problem(new ProblemDetails { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = refusal }).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        ManagementApi.Map(app, chassis);
        app.MapOpenApi(ApiDocs.DocumentPath);
    }

    private static string DefaultDetail(HttpContext context, int? status) => status switch
    {
        StatusCodes.Status404NotFound => $"No management API endpoint at {context.Request.Method} {context.Request.Path}; see GET /api/chassis and the README's API table.",
        StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
        StatusCodes.Status413PayloadTooLarge => $"The body is larger than {context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes (Chassis:MaxRequestBodyBytes).",
        _ => $"{context.Request.Method} {context.Request.Path} failed with status {status}.",
    };
}
