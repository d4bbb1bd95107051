using System.Security.Cryptography.X509Certificates;
using Orleans.Dashboard;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Monitoring.ChassisView;
using Redundancy.Orleans.Monitoring.Hosting;
using Redundancy.Orleans.Monitoring.Telemetry;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Silo.Api;
using Redundancy.Orleans.Silo.Configuration;
using Redundancy.Orleans.Silo.Embedded;

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
    telemetry = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
    dashboard = configuration.GetSection(ChassisViewOptions.SectionName).Get<ChassisViewOptions>() ?? new ChassisViewOptions();
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
    var card = new CardIdentity(chassis.CardId, chassis.Role, chassis.Role == CardRoles.Line ? chassis.Slot : null, chassis.Version)
    {
        StateSchema = (RoutingBuild.SchemaMin, RoutingBuild.SchemaMax),
    };
    if (!telemetry.Prometheus)
    {
        var builder = Host.CreateApplicationBuilder(args);
        ConfigureCard(builder, card);
        using var host = builder.Build();
        return await RunUntilParentGoneAsync(host, card);
    }

    // A card with a Prometheus endpoint: a small web host on loopback, its URL published in the card's metadata.
    var metricsUrl = $"http://127.0.0.1:{chassis.MetricsPort ?? MetricsPorts.Free()}";
    var web = WebApplication.CreateBuilder(args);
    web.WebHost.UseUrls(metricsUrl);
    card = card with { MetricsUrl = metricsUrl + "/metrics" };
    ConfigureCard(web, card);
    await using var app = web.Build();
    app.MapRedundancyMetrics(telemetry);
    return await RunUntilParentGoneAsync(app, card);
}

void ConfigureCard(IHostApplicationBuilder builder, CardIdentity card)
{
    builder.Configuration.AddConfiguration(configuration);
    QuietDefaults(builder.Logging);
    builder.Services.AddRedundancyTelemetry(telemetry, "redundancy-card", card.CardId);
    builder.UseOrleans(silo => SiloSetup.Configure(silo, builder.Configuration, chassis, card, chassis.SiloPort, tls));
}

async Task<int> RunUntilParentGoneAsync(IHost host, CardIdentity card)
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
    Console.WriteLine($"Card {card.CardId} ({card.Role}{(card.Slot is { } slot ? " slot " + slot : "")}, {card.Version}) is up: silo {chassis.AdvertisedHost}:{chassis.SiloPort}, cluster '{chassis.ClusterId}', membership {chassis.Membership}{(tls is null ? "" : ", mutual TLS")}.");
    await host.WaitForShutdownAsync();
    return 0;
}

// Cluster mode: a control card hosts the management API, the dashboard and no processes; every other card is equal.
async Task<int> RunControlCardAsync()
{
    var card = new CardIdentity(chassis.CardId, CardRoles.Control, null, chassis.Version);
    var builder = ApiHost.CreateBuilder(args, configuration, chassis);
    QuietDefaults(builder.Logging);
    builder.UseOrleans(silo => SiloSetup.Configure(silo, builder.Configuration, chassis, card, chassis.SiloPort, tls));
    AddMonitoring(builder, card.CardId);
    await using var app = builder.Build();
    ApiHost.Map(app, chassis);
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
    var control = new CardIdentity("control", CardRoles.Control, null, chassis.Version);
    builder.UseOrleans(silo => SiloSetup.Configure(silo, builder.Configuration, chassis, control, chassis.BasePort, tls));
    builder.Services.AddSingleton(sp => new EmbeddedChassis(chassis, builder.Configuration));
    AddMonitoring(builder, control.CardId);
    await using var app = builder.Build();
    ApiHost.Map(app, chassis);
    MapMonitoring(app);

    Console.WriteLine($"Starting the embedded chassis: control silo on 127.0.0.1:{chassis.BasePort}, {chassis.Slots} line cards, {chassis.Spares} spare(s).");
    await app.StartAsync();
    using var cards = app.Services.GetRequiredService<EmbeddedChassis>();
    var stopping = app.Lifetime.ApplicationStopping;
    cards.StartCards();
    using var client = new ChassisClient(new Uri(chassis.LocalApiUrl()), chassis.ApiToken);
    try
    {
        var status = await cards.WaitReadyAsync(client, TimeSpan.FromSeconds(120), stopping);
        await cards.LoadWorkloadAsync(client, status, stopping);
        Console.WriteLine();
        Console.WriteLine(StatusTable.Render(await client.GetChassisAsync(stopping)));
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
            Console.WriteLine($"Metrics: {chassis.ApiUrl}/metrics (control silo); each card's metricsUrl is in {chassis.ApiUrl}/api/chassis");
        }

        Console.WriteLine("Press Ctrl+C to stop the chassis.");
        _ = cards.PrintEventsAsync(client, stopping);
    }
    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
    {
    }
    catch (TimeoutException e)
    {
        Console.Error.WriteLine("The chassis did not come up: " + e.Message);
        await app.StopAsync();
        return 1;
    }

    await app.WaitForShutdownAsync();
    return 0;
}

void AddMonitoring(WebApplicationBuilder builder, string cardId)
{
    builder.Services.AddRedundancyTelemetry(telemetry, "redundancy-control", cardId);
    if (dashboard.Enabled)
    {
        builder.Services.AddChassisView(dashboard);
    }
}

void MapMonitoring(WebApplication app)
{
    app.MapRedundancyMetrics(telemetry);
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
}
