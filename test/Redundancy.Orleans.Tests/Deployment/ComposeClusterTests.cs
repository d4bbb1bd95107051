using System.Diagnostics;
using System.Net;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.MultiProcess;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using static Redundancy.Orleans.Tests.MultiProcess.ChassisChecks;

namespace Redundancy.Orleans.Tests.Deployment;

/// <summary>
/// The compose file's exact configuration, run as plain processes on this host (no Docker engine here): every
/// card of docker-compose.yml with its environment variables, a real redis-server for membership, and the
/// certificates of deploy/certs/make-certs.sh. Only what must differ outside containers is replaced: host names
/// (Redis, advertised addresses) by loopback, the shared silo and HTTP ports by ports of each card's own, /certs by a
/// folder. The shipped Prometheus configuration, localized the same way, runs in a real prometheus and scrapes every card.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ComposeClusterTests
{
    private static readonly string[] Cards = ["control", "card-1", "card-2", "card-3", "spare-1"];

    [ComposeFact(NeedsRedis = true, NeedsPrometheus = true)]
    public async Task ComposeConfiguration_AsPlainProcesses_FormsASecureChassisThatRefusesDuplicatesFailsOverAndIsScraped()
    {
        var compose = await ComposeFile.LoadAsync();
        var certs = await MakeCertificatesAsync();
        await using var redis = await RedisServer.StartAsync();
        var basePort = FreePorts.Range(Cards.Length + 1);
        var api = new Uri($"http://127.0.0.1:{FreePorts.One()}");
        var cluster = "compose-" + basePort;
        var httpPorts = Cards.Select(_ => FreePorts.One()).ToList();
        var environments = Cards.Select((card, i) => LocalizeCard(compose.Environment[card], redis, basePort + i, httpPorts[i], api, cluster, certs)).ToList();
        // Where each card answers /readyz: a card on its HTTP port, the control card on its management API.
        var ready = Cards.Select((card, i) => card == "control" ? new Uri(api, "readyz") : new Uri($"http://127.0.0.1:{httpPorts[i]}/readyz")).ToList();

        // The dashboard starts before any card (compose starts them together): it must wait for the chassis, not exit.
        var dashboardUrl = new Uri($"http://127.0.0.1:{FreePorts.One()}");
        await using var dashboard = SiloProcess.Start([], LocalizeDashboard(compose.Environment["dashboard"], redis, api, cluster, certs, dashboardUrl), RepoPaths.DashboardDll);
        await Eventually.WaitAsync(() => Task.FromResult(dashboard.Output), o => o.Contains("Dashboard: waiting for the chassis", StringComparison.Ordinal) || dashboard.HasExited,
            TimeSpan.FromSeconds(60), "the dashboard to report that it waits for the chassis", o => o);
        Assert.False(dashboard.HasExited, $"the dashboard exited {(dashboard.HasExited ? dashboard.ExitCode : 0)} before the chassis was up:\n{dashboard.Output}");

        var silos = environments.Select(e => SiloProcess.Start([], e)).ToList();
        try
        {
            using var operator_ = new ChassisClient(api, ComposeFile.TestToken);
            await StartedAsync(operator_, silos);

            // Every container's health check: the binary probes its own /readyz (compose starts the dashboard once the
            // control card is healthy).
            for (var i = 0; i < Cards.Length; i++)
            {
                await ProbeAsync(ready[i], 0, $"{Cards[i]} ready");
            }

            await ProbeAsync(new Uri(dashboardUrl, "readyz"), 0, "the dashboard ready");

            // The shipped Prometheus configuration scrapes every card and finds our series on each.
            var targets = Cards.Select((card, i) => card == "control" ? ("control:8080", api.Authority) : ($"{card}:9100", $"127.0.0.1:{httpPorts[i]}"))
                .Append(("dashboard:8081", dashboardUrl.Authority)).ToDictionary(t => t.Item1, t => t.Item2);
            await using var prometheus = await PrometheusServer.StartAsync(
                PrometheusConfig.Load().Localized(targets).Replace("evaluation_interval: 5s", "evaluation_interval: 1s", StringComparison.Ordinal), PrometheusConfig.Directory);
            await ScrapedAsync(prometheus, targets.Where(t => t.Key != "dashboard:8081").Select(t => t.Value).ToList(), targets.Count);

            // The dashboard, an Orleans client with its own certificate, joined over mutual TLS and shows the chassis.
            using var web = new HttpClient { BaseAddress = dashboardUrl };
            await DashboardShowsAsync(web, s => s.Cards.Count(c => c.Alive) == Cards.Length && s.Processes.Count == 6 && s.Processes.All(p => p.State == ProcessState.Ready),
                "the dashboard's chassis view: 5 cards alive, 6 processes ready");
            var before = await WaitProtectedAsync(operator_, 1, "every process protected by a replica on another card");
            var untouched = await RoutesAsync(operator_, ["bgp-2"]);

            // The token: reads are open on loopback, a write without the token is refused and changes nothing.
            using var anonymous = new ChassisClient(api);
            var refused = await Assert.ThrowsAsync<ChassisApiException>(() => anonymous.UpdateAsync("bgp-2", TestRoutes.Announce(TestRoutes.V4("10.9.0.0/16"))));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
            Assert.Contains("needs the management API token", refused.Detail);
            Assert.Equal(untouched["bgp-2"], (await RoutesAsync(operator_, ["bgp-2"]))["bgp-2"]);
            await operator_.UpdateAsync("bgp-2", TestRoutes.Announce(TestRoutes.V4("10.9.0.0/16")));
            var expected = await RoutesAsync(operator_, before.Processes.Select(p => p.Name));

            // Cluster mode: cards are not processes of the control card's host.
            var notLocal = await Assert.ThrowsAsync<ChassisApiException>(() => operator_.KillCardAsync("card-1"));
            Assert.Equal(HttpStatusCode.NotImplemented, notLocal.Status);

            // A second card-1 (another address) refuses to start while card-1 is active.
            var duplicate = new Dictionary<string, string>(environments[1]) { ["REDUNDANCY_CHASSIS__SILOPORT"] = (basePort + Cards.Length).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            var (code, output) = await SiloProcess.RunToExitAsync(TimeSpan.FromSeconds(90), [], duplicate);
            Assert.True(code == 2, $"the duplicate card-1 exited {code}, expected 2; output:\n{output}");
            Assert.Contains("configuration error: Chassis:CardId 'card-1' is already active in the chassis at 127.0.0.1:" + (basePort + 1), output);
            var cards = (await operator_.GetChassisAsync()).Cards;
            Assert.Equal(Cards.Order(StringComparer.Ordinal), cards.Select(c => c.CardId).Order(StringComparer.Ordinal));
            Assert.Equal(basePort + 1, IPEndPoint.Parse(cards.Single(c => c.CardId == "card-1").Endpoint!.Split('@')[0]).Port);

            // Card failure with Redis membership and TLS: card-2's slot goes to the spare, nothing is lost.
            silos[2].Kill();
            await WaitAllReadyAfterAsync(operator_, before, ["card-2"], "slot 2 ready on spare-1 after card-2 was killed");
            var after = await operator_.WaitForAsync(s => s.Cards.Any(c => c.CardId == "spare-1" && c.Role == CardRoles.Line && c.Slot == 2),
                FailoverTimeout, "spare-1 serving slot 2");
            Assert.All(after.Processes.Where(p => p.Slot == 2), p => Assert.Equal("spare-1", p.CardId));
            await AssertExactAsync(operator_, expected);
            await DashboardShowsAsync(web, s => s.Cards.Any(c => c.CardId == "spare-1" && c.Slot == 2) && s.Processes.Where(p => p.Slot == 2).All(p => p is { State: ProcessState.Ready, CardId: "spare-1" }),
                "the dashboard's chassis view: slot 2 on spare-1, its processes ready there");

            // Prometheus sees the dead card through the cards' membership gauge, and the card-down alert goes off.
            await Eventually.WaitAsync(() => prometheus.QueryAsync("ALERTS{alertname=\"RedundancyCardDown\"}"), r => r.Count > 0, FailoverTimeout,
                "the RedundancyCardDown alert (pending or firing) after card-2 was killed",
                r => string.Join("; ", r.Select(x => string.Join(",", x.Labels.Select(l => $"{l.Key}={l.Value}")))));

            // Redis (the membership store) down: the cards are alive but no longer ready.
            await redis.StopAsync();
            await ProbeAsync(ready[1], 1, "card-1 not ready once Redis is gone");
            await ProbeAsync(new Uri(ready[1], "healthz"), 0, "card-1 still alive once Redis is gone");
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n{Outputs(silos)}\n--- dashboard:\n{Texts.Tail(dashboard.Output, 3000)}", e);
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    private static async Task<ChassisStatus> StartedAsync(ChassisClient api, List<SiloProcess> silos)
    {
        try
        {
            return await api.WaitForAsync(
                s => s.Cards.Count(c => c.Alive) == Cards.Length && s.Processes.Count == 6 && s.Processes.All(p => p.State == ProcessState.Ready),
                TimeSpan.FromSeconds(120), "start of the compose cards as processes: 5 cards alive, 6 processes ready");
        }
        catch (TimeoutException e)
        {
            var exited = silos.Select((s, i) => s.HasExited ? $"{Cards[i]} exited {s.ExitCode}" : null).OfType<string>();
            throw new TimeoutException($"{e.Message} (exited: [{string.Join(", ", exited)}])", e);
        }
    }

    /// <summary>A compose service's environment with what differs outside containers: the certificates' folder, Redis, the cluster id, the API.</summary>
    private static Dictionary<string, string> Localize(IReadOnlyDictionary<string, string> compose, RedisServer redis, Uri api, string cluster, string certs)
    {
        var env = compose.ToDictionary(kv => kv.Key, kv => kv.Value.StartsWith("/certs/", StringComparison.Ordinal) ? Path.Combine(certs, kv.Value["/certs/".Length..]) : kv.Value);
        env["REDUNDANCY_CHASSIS__REDISCONNECTIONSTRING"] = redis.ConnectionString;
        env["REDUNDANCY_CHASSIS__CLUSTERID"] = cluster;
        if (env.ContainsKey("REDUNDANCY_CHASSIS__APIURL"))
        {
            env["REDUNDANCY_CHASSIS__APIURL"] = api.ToString().TrimEnd('/');
        }

        return env;
    }

    /// <summary>A card's compose environment, localized: besides <see cref="Localize"/>, loopback as its address and a silo and HTTP port of its own.</summary>
    private static Dictionary<string, string> LocalizeCard(IReadOnlyDictionary<string, string> compose, RedisServer redis, int siloPort, int httpPort, Uri api, string cluster, string certs)
    {
        var env = Localize(compose, redis, api, cluster, certs);
        env["REDUNDANCY_CHASSIS__ADVERTISEDHOST"] = "127.0.0.1";
        env["REDUNDANCY_CHASSIS__SILOPORT"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["REDUNDANCY_CHASSIS__HTTPADDRESS"] = "127.0.0.1";
        env["REDUNDANCY_CHASSIS__HTTPPORT"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["REDUNDANCY_LOGGING__LOGLEVEL__DEFAULT"] = "Warning";
        return env;
    }

    /// <summary>The dashboard's compose environment, localized: besides <see cref="Localize"/>, its own URL.</summary>
    private static Dictionary<string, string> LocalizeDashboard(IReadOnlyDictionary<string, string> compose, RedisServer redis, Uri api, string cluster, string certs, Uri url)
    {
        var env = Localize(compose, redis, api, cluster, certs);
        env["REDUNDANCY_DASHBOARD__URL"] = url.ToString().TrimEnd('/');
        return env;
    }

    /// <summary>Polls the dashboard's own snapshot endpoint (what its page shows) until <paramref name="condition"/> holds.</summary>
    private static async Task DashboardShowsAsync(HttpClient web, Func<ChassisStatus, bool> condition, string what)
    {
        await Eventually.WaitAsync(
            async () =>
            {
                try
                {
                    using var doc = System.Text.Json.JsonDocument.Parse(await web.GetStringAsync("/chassis/api/snapshot"));
                    return doc.RootElement.TryGetProperty("status", out var status) && status.ValueKind == System.Text.Json.JsonValueKind.Object
                        ? System.Text.Json.JsonSerializer.Deserialize<ChassisStatus>(status, RedundancyJson.Options)
                        : null;
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            },
            s => s is not null && condition(s),
            FailoverTimeout,
            what,
            s => ChassisClient.Describe(s));
    }

    /// <summary>
    /// The container health check's command, for real: the silo binary's probe mode until it exits with
    /// <paramref name="expected"/> (0 ready, 1 not). A probe is a one-shot answer, so it is asked again until then.
    /// </summary>
    private static async Task ProbeAsync(Uri url, int expected, string what) =>
        await Eventually.WaitAsync(() => SiloProcess.RunToExitAsync(TimeSpan.FromSeconds(30), [HealthProbeArgument, url.ToString()]), r => r.Code == expected,
            FailoverTimeout, $"{what}: 'silo --probe {url}' to exit {expected}", r => $"exit {r.Code}: {r.Output}");

    private const string HealthProbeArgument = "--probe";

    /// <summary>Prometheus scrapes every target, and finds redundancy_* series on each card (control included).</summary>
    private static async Task ScrapedAsync(PrometheusServer prometheus, IReadOnlyList<string> cards, int targets)
    {
        await Eventually.WaitAsync(prometheus.TargetsAsync, t => t.Count == targets && t.All(x => x.Split(' ')[2] == "up"), TimeSpan.FromSeconds(60),
            $"prometheus to scrape {targets} targets, all up", t => string.Join("; ", t));
        await Eventually.WaitAsync(() => prometheus.QueryAsync("count by (instance) ({__name__=~\"redundancy_.+\"})"),
            r => cards.All(c => r.Any(x => x.Labels.GetValueOrDefault("instance") == c && x.Value > 0)), TimeSpan.FromSeconds(60),
            $"redundancy_* series from every card ({string.Join(", ", cards)})",
            r => string.Join("; ", r.Select(x => $"{x.Labels.GetValueOrDefault("instance")}: {x.Value}")));
    }

    /// <summary>The documented way: deploy/certs/make-certs.sh (openssl), into a fresh folder.</summary>
    private static async Task<string> MakeCertificatesAsync()
    {
        var dir = Directory.CreateTempSubdirectory("redundancy-certs-").FullName;
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(RepoPaths.Root, "deploy", "certs", "make-certs.sh"), dir }.Concat(Cards).Append("dashboard"))
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"make-certs.sh exited {process.ExitCode}: {await output}{await error}");
        return dir;
    }

    private static string Outputs(List<SiloProcess> silos) =>
        string.Join("\n", silos.Select((s, i) => $"--- {Cards[i]}{(s.HasExited ? $" (exited {s.ExitCode})" : "")}:\n{Texts.Tail(s.Output, 3000)}"));
}
