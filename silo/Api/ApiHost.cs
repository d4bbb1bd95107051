using Redundancy.Orleans.Client;
using Redundancy.Orleans.ManagementApi;
using Redundancy.Orleans.ManagementApi.Hosting;
using Redundancy.Orleans.Silo.Configuration;
using Redundancy.Orleans.Silo.Embedded;

namespace Redundancy.Orleans.Silo.Api;

/// <summary>
/// The web host of the management API (embedded chassis, or a control card in cluster mode): the library's API
/// (<c>MapRedundancyManagementApi</c>) with this host's token, body limit and, in the embedded chassis, its cards.
/// </summary>
internal static class ApiHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args, IConfiguration configuration, ChassisOptions chassis)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls(chassis.ApiUrl);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = chassis.MaxRequestBodyBytes);
        builder.Services.ConfigureHttpJsonOptions(o => RedundancyJson.Apply(o.SerializerOptions));
        builder.Services.AddRedundancyManagementApi(o =>
        {
            o.Token = chassis.ApiToken;
            o.TokenRequiredForReads = !ChassisOptionsValidator.IsLoopback(new Uri(chassis.ApiUrl));
            o.TokenSetting = $"{ChassisOptions.SectionName}:ApiToken";
            o.BodyLimitSetting = $"{ChassisOptions.SectionName}:MaxRequestBodyBytes";
        });
        builder.Services.AddSingleton(sp => new ChassisStartup(embedded: chassis.Mode != "card", TimeProvider.System));
        builder.Services.AddSingleton<IChassisStartup>(sp => sp.GetRequiredService<ChassisStartup>());
        return builder;
    }

    public static void Map(WebApplication app)
    {
        // Whatever escapes an endpoint is a problem with a detail; errors without a body (no such endpoint, wrong
        // method) become problem details too.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapRedundancyManagementApi();
    }
}
