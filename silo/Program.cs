using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Client;
using Orleans.Dashboard;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Monitoring.ChassisView;
using Redundancy.Orleans.Monitoring.Telemetry;
using Redundancy.Orleans.Silo.Api;
using Redundancy.Orleans.Silo.Configuration;
using Redundancy.Orleans.Silo.Embedded;

var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables("REDUNDANCY_")
    .AddCommandLine(args)
    .Build();
var chassis = configuration.GetSection(ChassisOptions.SectionName).Get<ChassisOptions>() ?? new ChassisOptions();
var telemetry = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
var dashboard = configuration.GetSection(ChassisViewOptions.SectionName).Get<ChassisViewOptions>() ?? new ChassisViewOptions();
dashboard.ManagementUrl ??= chassis.ApiUrl; // the embedded chassis performs the dashboard's actions itself
var errors = chassis.Validate().Concat(telemetry.Validate()).Concat(dashboard.Validate()).ToList();
if (errors.Count > 0)
{
    foreach (var error in errors)
    {
        Console.Error.WriteLine("configuration error: " + error);
    }

    return 2;
}

try
{
    return chassis.Mode == "card" ? await RunCardAsync() : await RunEmbeddedAsync();
}
catch (Exception e) when (e is ArgumentException or Microsoft.Extensions.Options.OptionsValidationException)
{
    Console.Error.WriteLine("configuration error: " + e.Message);
    return 2;
}

async Task<int> RunCardAsync()
{
    var card = new CardIdentity(chassis.CardId, chassis.Role, chassis.Role == CardRoles.Line ? chassis.Slot : null, chassis.Version)
    {
        StateSchema = (Redundancy.Orleans.Routing.RoutingBuild.SchemaMin, Redundancy.Orleans.Routing.RoutingBuild.SchemaMax),
    };
    if (!telemetry.Prometheus)
    {
        var builder = Host.CreateApplicationBuilder(args);
        ConfigureCard(builder, card);
        using var host = builder.Build();
        await RunUntilParentGoneAsync(host);
        return 0;
    }

    // A card with a Prometheus endpoint: a small web host on loopback, its URL published in the card's metadata.
    var metricsUrl = $"http://127.0.0.1:{chassis.MetricsPort ?? MetricsPorts.Free()}";
    var web = WebApplication.CreateBuilder(args);
    web.WebHost.UseUrls(metricsUrl);
    ConfigureCard(web, card with { MetricsUrl = metricsUrl + "/metrics" });
    await using var app = web.Build();
    app.MapRedundancyMetrics(telemetry);
    await RunUntilParentGoneAsync(app);
    return 0;
}

void ConfigureCard(IHostApplicationBuilder builder, CardIdentity card)
{
    builder.Configuration.AddConfiguration(configuration);
    QuietDefaults(builder.Logging);
    builder.Services.AddRedundancyTelemetry(telemetry, "redundancy-card", card.CardId);
    builder.UseOrleans(silo => SiloSetup.Configure(silo, builder.Configuration, chassis, card, chassis.SiloPort));
}

async Task RunUntilParentGoneAsync(IHost host)
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

    await host.RunAsync();
}

async Task<int> RunEmbeddedAsync()
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Configuration.AddConfiguration(configuration);
    QuietDefaults(builder.Logging);
    builder.WebHost.UseUrls(chassis.ApiUrl);
    builder.Services.ConfigureHttpJsonOptions(o => RedundancyJson.Apply(o.SerializerOptions));
    builder.Services.AddProblemDetails();
    var control = new CardIdentity("control", CardRoles.Control, null, chassis.Version);
    builder.UseOrleans(silo => SiloSetup.Configure(silo, builder.Configuration, chassis, control, chassis.BasePort));
    builder.Services.AddSingleton(sp => new EmbeddedChassis(chassis, builder.Configuration));
    builder.Services.AddSingleton<CardControl>();
    builder.Services.AddRedundancyTelemetry(telemetry, "redundancy-control", control.CardId);
    if (dashboard.Enabled)
    {
        builder.Services.AddChassisView(dashboard);
    }

    await using var app = builder.Build();
    ManagementApi.Map(app);
    app.MapRedundancyMetrics(telemetry);
    if (dashboard.Enabled)
    {
        app.MapGet("/", () => Results.Redirect(ChassisViewExtensions.Prefix + "/"));
        app.MapChassisView();
        app.MapOrleansDashboard(routePrefix: "/dashboard");
    }

    Console.WriteLine($"Starting the embedded chassis: control silo on 127.0.0.1:{chassis.BasePort}, {chassis.Slots} line cards, {chassis.Spares} spare(s).");
    await app.StartAsync();
    using var cards = app.Services.GetRequiredService<EmbeddedChassis>();
    var stopping = app.Lifetime.ApplicationStopping;
    cards.StartCards();
    using var client = new ChassisClient(new Uri(chassis.ApiUrl));
    try
    {
        var status = await cards.WaitReadyAsync(client, TimeSpan.FromSeconds(120), stopping);
        await cards.LoadWorkloadAsync(client, status, stopping);
        Console.WriteLine();
        Console.WriteLine(StatusTable.Render(await client.GetChassisAsync(stopping)));
        Console.WriteLine($"Management API: {chassis.ApiUrl}/api/chassis   (card logs: {cards.LogDirectory})");
        Console.WriteLine("Try: curl -X POST " + chassis.ApiUrl + "/api/processes/bgp-1/crash   then   curl " + chassis.ApiUrl + "/api/chassis");
        Console.WriteLine("Card faults: curl -X POST " + chassis.ApiUrl + "/api/cards/card-2/kill   (or /hang, /resume, /declare-dead; POST /api/cards adds a spare)");
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

// The console is for the operator: the chassis's own events at Information, framework chatter only from Warning.
// Logging:LogLevel:* in configuration overrides these.
static void QuietDefaults(ILoggingBuilder logging)
{
    logging.AddFilter("Orleans", LogLevel.Warning);
    logging.AddFilter("Microsoft", LogLevel.Warning);
    logging.AddFilter("System.Net.Http", LogLevel.Warning);
    logging.AddFilter("Polly", LogLevel.Warning);
}
