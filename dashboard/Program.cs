using System.Net;
using System.Security.Cryptography.X509Certificates;
using Orleans.Configuration;
using Orleans.Dashboard;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Dashboard;
using Redundancy.Orleans.Monitoring.ChassisView;
using Redundancy.Orleans.Monitoring.Health;
using Redundancy.Orleans.Monitoring.Hosting;
using Redundancy.Orleans.Monitoring.Telemetry;
using Redundancy.Orleans.Security;

// Probe mode for container health checks (the runtime image has no curl): exit 0 when the URL answers 2xx.
if (await HealthProbe.RunIfAskedAsync(args) is { } probe)
{
    return probe;
}

var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables("REDUNDANCY_")
    .AddCommandLine(args)
    .Build();
ClusterConnectionOptions cluster;
ChassisViewOptions dashboard;
TelemetryOptions telemetry;
(X509Certificate2 Certificate, X509Certificate2Collection Ca)? tls;
try
{
    // Unknown keys are refused, as the silo does: a typo must not silently fall back to a default.
    cluster = StrictConfiguration.Bind<ClusterConnectionOptions>(configuration, ClusterConnectionOptions.SectionName);
    dashboard = StrictConfiguration.Bind<ChassisViewOptions>(configuration, ChassisViewOptions.SectionName);
    telemetry = StrictConfiguration.Bind<TelemetryOptions>(configuration, TelemetryOptions.SectionName);
    dashboard.ManagementUrl ??= cluster.ApiUrl;
    dashboard.ManagementToken ??= cluster.ApiToken;
    var errors = cluster.Validate().Concat(dashboard.Validate()).Concat(telemetry.Validate()).ToList();
    if (errors.Count > 0)
    {
        foreach (var error in errors)
        {
            Console.Error.WriteLine("configuration error: " + error);
        }

        return 2;
    }

    tls = cluster.TlsFiles.Load();
}
catch (Exception e) when (StrictConfiguration.Describe(e, configuration) is { } message)
{
    Console.Error.WriteLine("configuration error: " + message);
    return 2;
}

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddConfiguration(configuration);
// While the chassis is not up yet, the retry filter below says so once per attempt; the connection manager's own
// warning would add a stack trace each time.
builder.Logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat, o.UseUtcTimestamp) = (true, "HH:mm:ss.fff ", true));
builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning)
    .AddFilter("Orleans.Runtime.Messaging.ConnectionManager", LogLevel.Error);
builder.WebHost.UseUrls(dashboard.Url);
builder.Services.AddProblemDetails();
builder.Services.AddSingleton(cluster);
// The web host answers while the Orleans client still waits for the chassis: /healthz says the process is alive and
// /readyz says why it is not ready yet (hosted services start one after another by default, the client first).
builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
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

    if (tls is { } t)
    {
        client.UseChassisTls(t.Certificate, t.Ca);
    }

    client.UseConnectionRetryFilter<ChassisConnectionRetry>();
    client.AddActivityPropagation();
    client.AddDashboard();
});
builder.Services.AddRedundancyTelemetry(telemetry, "redundancy-dashboard", Environment.MachineName,
    typeof(ClusterConnectionOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
// Ready once the chassis answers through the Orleans client (it may start before the chassis and wait for it).
builder.Services.AddRedundancyHealth().AddCheck<ChassisHealthCheck>("chassis", tags: [HealthEndpoints.ReadyTag]);
builder.Services.AddChassisView(dashboard);

await using var app = builder.Build();
app.MapGet("/", () => Results.Redirect(ChassisViewExtensions.Prefix + "/"));
app.MapChassisView();
app.MapOrleansDashboard(routePrefix: "/dashboard");
app.MapRedundancyMetrics(telemetry);
app.MapRedundancyHealth();
await app.StartAsync();
Console.WriteLine($"Dashboard: {dashboard.Url}{ChassisViewExtensions.Prefix}/   (Orleans Dashboard: {dashboard.Url}/dashboard; actions {(dashboard.ActionsEnabled ? "enabled, token required" : "disabled: read-only")})");
await app.WaitForShutdownAsync();
return 0;
