using System.Security.Cryptography.X509Certificates;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Silo.Api;
using Redundancy.Orleans.Silo.Configuration;
using Redundancy.Orleans.Silo.Embedded;

var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables("REDUNDANCY_")
    .AddCommandLine(args)
    .Build();
ChassisOptions chassis;
(X509Certificate2 Certificate, X509Certificate2Collection Ca)? tls;
try
{
    chassis = ConfigurationErrors.Bind(configuration);
    var errors = chassis.Validate().Concat(StartupChecks.Layout(chassis, configuration)).ToList();
    if (errors.Count == 0)
    {
        errors.AddRange(await StartupChecks.RedisAsync(chassis));
    }

    if (errors.Count > 0)
    {
        return Refuse(errors);
    }

    tls = StartupChecks.LoadTls(chassis);
}
catch (Exception e) when (ConfigurationErrors.Describe(e, configuration) is { } message)
{
    return Refuse([message]);
}

try
{
    return chassis.Mode == "card"
        ? chassis.Role == CardRoles.Control ? await RunControlCardAsync() : await RunCardAsync()
        : await RunEmbeddedAsync();
}
catch (Exception e) when (ConfigurationErrors.Describe(e, configuration) is { } message)
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
    var card = new CardIdentity(chassis.CardId, chassis.Role, chassis.Role == CardRoles.Line ? chassis.Slot : null, chassis.Version);
    var builder = Host.CreateApplicationBuilder(args);
    builder.Configuration.AddConfiguration(configuration);
    QuietDefaults(builder.Logging);
    builder.UseOrleans(silo => SiloSetup.Configure(silo, builder.Configuration, chassis, card, chassis.SiloPort, tls));
    using var host = builder.Build();
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
    Console.WriteLine($"Card {card.CardId} ({card.Role}{(card.Slot is { } slot ? " slot " + slot : "")}) is up: silo {chassis.AdvertisedHost}:{chassis.SiloPort}, cluster '{chassis.ClusterId}', membership {chassis.Membership}{(tls is null ? "" : ", mutual TLS")}.");
    await host.WaitForShutdownAsync();
    return 0;
}

// Cluster mode: a control card hosts the management API (and no processes); every other card is equal.
async Task<int> RunControlCardAsync()
{
    var card = new CardIdentity(chassis.CardId, CardRoles.Control, null, chassis.Version);
    var builder = ApiHost.CreateBuilder(args, configuration, chassis);
    QuietDefaults(builder.Logging);
    builder.UseOrleans(silo => SiloSetup.Configure(silo, builder.Configuration, chassis, card, chassis.SiloPort, tls));
    await using var app = builder.Build();
    ApiHost.Map(app, chassis);
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
    await using var app = builder.Build();
    ApiHost.Map(app, chassis);

    Console.WriteLine($"Starting the embedded chassis: control silo on 127.0.0.1:{chassis.BasePort}, {chassis.Slots} line cards, {chassis.Spares} spare(s).");
    await app.StartAsync();
    using var cards = app.Services.GetRequiredService<EmbeddedChassis>();
    var stopping = app.Lifetime.ApplicationStopping;
    cards.StartCards();
    using var client = new ChassisClient(new Uri(chassis.ApiUrl), chassis.ApiToken);
    try
    {
        var status = await cards.WaitReadyAsync(client, TimeSpan.FromSeconds(120), stopping);
        await cards.LoadWorkloadAsync(client, status, stopping);
        Console.WriteLine();
        Console.WriteLine(StatusTable.Render(await client.GetChassisAsync(stopping)));
        Console.WriteLine($"Management API: {chassis.ApiUrl}/api/chassis   (card logs: {cards.LogDirectory})");
        Console.WriteLine("Try: curl -X POST " + chassis.ApiUrl + "/api/processes/bgp-1/crash   then   curl " + chassis.ApiUrl + "/api/chassis");
        Console.WriteLine("Card faults: curl -X POST " + chassis.ApiUrl + "/api/cards/card-2/kill   (or /hang, /resume, /declare-dead; POST /api/cards adds a spare)");
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
