using System.Net;
using Orleans.Configuration;
using Orleans.Dashboard;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Dashboard;
using Redundancy.Orleans.Monitoring.ChassisView;
using Redundancy.Orleans.Monitoring.Telemetry;

var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables("REDUNDANCY_")
    .AddCommandLine(args)
    .Build();
var cluster = configuration.GetSection(ClusterConnectionOptions.SectionName).Get<ClusterConnectionOptions>() ?? new ClusterConnectionOptions();
var dashboard = configuration.GetSection(ChassisViewOptions.SectionName).Get<ChassisViewOptions>() ?? new ChassisViewOptions();
var telemetry = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
dashboard.ManagementUrl ??= cluster.ApiUrl;
var errors = cluster.Validate().Concat(dashboard.Validate()).Concat(telemetry.Validate()).ToList();
if (errors.Count > 0)
{
    foreach (var error in errors)
    {
        Console.Error.WriteLine("configuration error: " + error);
    }

    return 2;
}

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddConfiguration(configuration);
builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning);
builder.WebHost.UseUrls(dashboard.Url);
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => RedundancyJson.Apply(o.SerializerOptions));
builder.UseOrleansClient(client =>
{
    client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ClusterId));
    if (cluster.Membership == "redis")
    {
        client.UseRedisClustering(cluster.RedisConnectionString!);
    }
    else
    {
        // Development membership lives in the control silo: connect to its gateway.
        client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, cluster.BasePort + 10000));
    }

    client.AddActivityPropagation();
    client.AddDashboard();
});
builder.Services.AddRedundancyTelemetry(telemetry, "redundancy-dashboard", Environment.MachineName);
builder.Services.AddChassisView(dashboard);

await using var app = builder.Build();
app.MapGet("/", () => Results.Redirect(ChassisViewExtensions.Prefix + "/"));
app.MapChassisView();
app.MapOrleansDashboard(routePrefix: "/dashboard");
app.MapRedundancyMetrics(telemetry);
await app.StartAsync();
Console.WriteLine($"Dashboard: {dashboard.Url}{ChassisViewExtensions.Prefix}/   (Orleans Dashboard: {dashboard.Url}/dashboard; actions {(dashboard.ActionsEnabled ? "enabled, token required" : "disabled: read-only")})");
await app.WaitForShutdownAsync();
return 0;
