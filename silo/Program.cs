using System.Security.Cryptography.X509Certificates;
using Orleans.Dashboard;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Monitoring.ChassisView;
using Redundancy.Orleans.Monitoring.Health;
using Redundancy.Orleans.Monitoring.Hosting;
using Redundancy.Orleans.Monitoring.Telemetry;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.Hosting;
using Redundancy.Orleans.ManagementApi;
using Redundancy.Orleans.Silo.Api;
using Redundancy.Orleans.Silo.Configuration;
using Redundancy.Orleans.Silo.Embedded;
using Redundancy.Orleans.Silo.Health;
using Redundancy.Orleans.Configuration;
using Redundancy.Orleans.Routing.Configuration;

// Probe mode for container health checks (the runtime image has no curl): exit 0 when the URL answers 2xx.
if (await HealthProbe.RunIfAskedAsync(args) is { } probe)
{
    return probe;
}

var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables("REDUNDANCY_")
    .AddCommandLine(args)
    .Build();
ChassisOptions chassis;
TelemetryOptions telemetry;
ChassisViewOptions dashboard;
(X509Certificate2 Certificate, X509Certificate2Collection Ca)? tls;
try
{
    chassis = StrictConfiguration.Bind<ChassisOptions>(configuration, ChassisOptions.SectionName);
    telemetry = StrictConfiguration.Bind<TelemetryOptions>(configuration, TelemetryOptions.SectionName);
    dashboard = StrictConfiguration.Bind<ChassisViewOptions>(configuration, ChassisViewOptions.SectionName);

    // The sections the silo hands to the runtime and the routing application through options: a typo there is refused
    // like one in Chassis, before anything starts (they are bound again, with their validators, by the silo).
    StrictConfiguration.Bind<RedundancyOptions>(configuration, RedundancyOptions.SectionName);
    StrictConfiguration.Bind<RoutingOptions>(configuration, RoutingOptions.SectionName);
    StrictConfiguration.Bind<ClosedPortDetectionOptions>(configuration, ClosedPortDetectionOptions.SectionName);
    dashboard.ManagementUrl ??= chassis.LocalApiUrl(); // the chassis's own API performs the dashboard's actions
    dashboard.ManagementToken ??= chassis.ApiToken;
    var errors = chassis.Validate().Concat(telemetry.Validate()).Concat(dashboard.Validate()).Concat(StartupChecks.Layout(chassis, configuration)).ToList();
    if (errors.Count == 0)
    {
        errors.AddRange(await StartupChecks.RedisAsync(chassis));
    }

    if (errors.Count > 0)
    {
        return Refuse(errors);
    }

    tls = chassis.TlsFiles.Load();
}
catch (Exception e) when (StrictConfiguration.Describe(e, configuration) is { } message)
{
    return Refuse([message]);
}

try
{
    return chassis.Mode == "card"
        ? chassis.Role == CardRoles.Control ? await RunControlCardAsync() : await RunCardAsync()
        : await RunEmbeddedAsync();
}
catch (Exception e) when (StrictConfiguration.Describe(e, configuration) is { } message)
{
    return Refuse([message]);
}

static int Refuse(IEnumerable<string> errors)
{
    foreach (var error in errors)
    {
        Console.Error.WriteLine("configuration error: " + error);
    }

    return 2;
}

async Task<int> RunCardAsync()
{
    // The card publishes the hot-state schemas its build reads, so mixed versions write one all can read (U1).
    // Every card has a small web host: health for its container or supervisor, metrics for Prometheus. The metrics URL
    // is published in the card's metadata, so that operators and the control silo's service discovery find it.
    var listener = HttpEndpoints.CardListener(chassis);
    var card = new CardIdentity(chassis.CardId, chassis.Role, chassis.Role == CardRoles.Line ? chassis.Slot : null, chassis.Version)
    {
        StateSchema = (RoutingBuild.SchemaMin, RoutingBuild.SchemaMax),
        MetricsUrl = telemetry.Prometheus ? HttpEndpoints.MetricsUrl(listener, chassis) : null,
        IdSource = $"{ChassisOptions.SectionName}:CardId",
    };
    var web = WebApplication.CreateBuilder(args);
    web.WebHost.UseUrls(listener.ToString().TrimEnd('/'));
    ConfigureCard(web, card);
    SiloHealth.Add(web.Services, hostsApi: false);
    await using var app = web.Build();
    app.MapRedundancyMetrics(telemetry);
    app.MapRedundancyHealth();
    return await RunUntilParentGoneAsync(app, card, listener);
}

void ConfigureCard(IHostApplicationBuilder builder, CardIdentity card)
{
    builder.Configuration.AddConfiguration(configuration);
    QuietDefaults(builder.Logging);
    builder.Services.AddRedundancyTelemetry(telemetry, "redundancy-card", card.CardId, card.Version);
    builder.UseOrleans(silo => SiloSetup.Configure(silo, builder.Configuration, chassis, card, chassis.SiloPort, tls));
}

async Task<int> RunUntilParentGoneAsync(IHost host, CardIdentity card, Uri listener)
{
    if (chassis.ExitWithParent)
    {
        // The embedded chassis holds our standard input: end of input means it is gone.
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        _ = Task.Run(async () =>
        {
            await Console.In.ReadToEndAsync();
            lifetime.StopApplication();
        });
    }

    await host.StartAsync();
    Console.WriteLine($"Card {card.CardId} ({card.Role}{(card.Slot is { } slot ? " slot " + slot : "")}, {card.Version}) is up: silo {chassis.AdvertisedHost}:{chassis.SiloPort}, cluster '{chassis.ClusterId}', membership {chassis.Membership}{(tls is null ? "" : ", mutual TLS")}, health {HttpEndpoints.Published(listener, chassis)}readyz.");
    await host.WaitForShutdownAsync();
    return 0;
}

// Cluster mode: a control card hosts the management API, the dashboard and no processes; every other card is equal.
async Task<int> RunControlCardAsync()
{
    var card = new CardIdentity(chassis.CardId, CardRoles.Control, null, chassis.Version) { MetricsUrl = ApiMetricsUrl(), IdSource = $"{ChassisOptions.SectionName}:CardId" };
    var builder = ApiHost.CreateBuilder(args, configuration, chassis);
    QuietDefaults(builder.Logging);
    builder.UseOrleans(silo => SiloSetup.Configure(silo, builder.Configuration, chassis, card, chassis.SiloPort, tls));
    AddMonitoring(builder, card);
    await using var app = builder.Build();
    ApiHost.Map(app);
    MapMonitoring(app);
    await app.StartAsync();
    Console.WriteLine($"Card {card.CardId} (control) is up: silo {chassis.AdvertisedHost}:{chassis.SiloPort}, cluster '{chassis.ClusterId}', management API {chassis.ApiUrl}{(chassis.ApiToken is null ? "" : " (token required)")}.");
    await app.WaitForShutdownAsync();
    return 0;
}

async Task<int> RunEmbeddedAsync()
{
    var builder = ApiHost.CreateBuilder(args, configuration, chassis);
    QuietDefaults(builder.Logging);
    var control = new CardIdentity("control", CardRoles.Control, null, chassis.Version) { MetricsUrl = ApiMetricsUrl() };
    builder.UseOrleans(silo => SiloSetup.Configure(silo, builder.Configuration, chassis, control, chassis.BasePort, tls));
    builder.Services.AddSingleton(sp => new EmbeddedChassis(chassis, builder.Configuration));
    builder.Services.AddSingleton<ICardController, EmbeddedCardController>();
    AddMonitoring(builder, control);
    await using var app = builder.Build();
    ApiHost.Map(app);
    MapMonitoring(app);

    Console.WriteLine($"Starting the embedded chassis: control silo on 127.0.0.1:{chassis.BasePort}, {chassis.Slots} line cards, {chassis.Spares} spare(s).");
    await app.StartAsync();
    using var cards = app.Services.GetRequiredService<EmbeddedChassis>();
    var stopping = app.Lifetime.ApplicationStopping;
    cards.StartCards();
    using var client = new ChassisClient(new Uri(chassis.LocalApiUrl()), chassis.ApiToken);
    var startup = app.Services.GetRequiredService<ChassisStartup>();
    try
    {
        // A card fault at any moment of start-up must not stop the chassis: waits and loads report what they could
        // not do (GET /api/chassis: startup) and the chassis goes on.
        await cards.WaitReadyAsync(client, startup, TimeSpan.FromSeconds(120), stopping);
        var processes = app.Services.GetRequiredService<ProcessTable>().All.Select(p => p.Name).ToList();
        await new WorkloadLoader(client, startup).LoadAsync(chassis.RoutesPerProcess == 0 ? [] : processes, chassis.RoutesPerProcess, chassis.Workload, chassis.WorkloadSeed, stopping);
        Console.WriteLine();
        try
        {
            Console.WriteLine(StatusTable.Render(await client.GetChassisAsync(stopping)));
        }
        catch (Exception e) when (e is HttpRequestException or ChassisApiException or TaskCanceledException && !stopping.IsCancellationRequested)
        {
            Console.WriteLine($"(no status table: {e.Message})");
        }

        Console.WriteLine($"Management API: {chassis.ApiUrl}/api/chassis   (card logs: {cards.LogDirectory})");
        Console.WriteLine("Try: curl -X POST " + chassis.ApiUrl + "/api/processes/bgp-1/crash   then   curl " + chassis.ApiUrl + "/api/chassis");
        Console.WriteLine("Card faults: curl -X POST " + chassis.ApiUrl + "/api/cards/card-2/kill   (or /hang, /resume, /declare-dead; POST /api/cards adds a spare)");
        Console.WriteLine($"Rolling upgrade: dotnet run --project cli -- --api {chassis.ApiUrl} upgrade plan --to <version>   (versions: {string.Join(", ", cards.Versions)})");
        if (dashboard.Enabled)
        {
            Console.WriteLine($"Dashboard: {chassis.ApiUrl}{ChassisViewExtensions.Prefix}/   (Orleans Dashboard: {chassis.ApiUrl}/dashboard; actions {(dashboard.ActionsEnabled ? "enabled, token required" : "disabled: read-only")})");
        }

        if (telemetry.Prometheus)
        {
            Console.WriteLine($"Metrics: {chassis.ApiUrl}/metrics (control silo); each card's metricsUrl is in {chassis.ApiUrl}/api/chassis, for Prometheus in {chassis.ApiUrl}/api/metrics/targets");
        }

        Console.WriteLine($"Start-up {startup.Current?.State.ToString().ToLowerInvariant()}. Press Ctrl+C to stop the chassis.");
        _ = cards.PrintEventsAsync(client, stopping);
    }
    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
    {
    }

    await app.WaitForShutdownAsync();
    return 0;
}

// The host of the management API serves its own metrics there too.
string? ApiMetricsUrl() => telemetry.Prometheus ? HttpEndpoints.MetricsUrl(new Uri(chassis.ApiUrl), chassis) : null;

void AddMonitoring(WebApplicationBuilder builder, CardIdentity card)
{
    builder.Services.AddRedundancyTelemetry(telemetry, "redundancy-control", card.CardId, card.Version);
    SiloHealth.Add(builder.Services, hostsApi: true);
    builder.Services.AddUpgradeCommitWaitGauge();
    if (dashboard.Enabled)
    {
        builder.Services.AddChassisView(dashboard);
    }
}

void MapMonitoring(WebApplication app)
{
    app.MapRedundancyMetrics(telemetry);
    app.MapRedundancyHealth();
    if (dashboard.Enabled)
    {
        app.MapGet("/", () => Results.Redirect(ChassisViewExtensions.Prefix + "/"));
        app.MapChassisView();
        app.MapOrleansDashboard(routePrefix: "/dashboard");
    }
}

// The console is for the operator: the chassis's own events at Information, framework chatter only from Warning.
// Logging:LogLevel:* in configuration overrides these. Each line carries its UTC time, so that a card's log can be
// lined up with the other cards' and with the chassis events when a failover is investigated.
static void QuietDefaults(ILoggingBuilder logging)
{
    logging.AddSimpleConsole(o =>
    {
        o.TimestampFormat = "HH:mm:ss.fff ";
        o.UseUtcTimestamp = true;
    });
    logging.AddFilter("Orleans", LogLevel.Warning);
    logging.AddFilter("Microsoft", LogLevel.Warning);
    logging.AddFilter("System.Net.Http", LogLevel.Warning);
    logging.AddFilter("Polly", LogLevel.Warning);

    // The liveness witness is an Orleans grain service: its base class announces every start and stop at Information.
    logging.AddFilter("Redundancy.Orleans.FailureDetection.LivenessWitness", LogLevel.Warning);
}
