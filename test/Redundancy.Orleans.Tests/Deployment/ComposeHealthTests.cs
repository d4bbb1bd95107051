using System.Text.RegularExpressions;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Redundancy.Orleans.Tests.Deployment;

/// <summary>
/// The compose file's operational settings, read from the YAML itself: health checks that probe each container's own
/// readiness, start order on health, restart policies, pinned images, an image tag per version, and a Prometheus
/// configuration that scrapes every card.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class ComposeHealthTests
{
    private static readonly string[] Silos = ["control", "card-1", "card-2", "card-3", "spare-1"];
    private readonly ComposeYaml _compose = ComposeYaml.LoadRepository();

    [Fact]
    public void Yaml_HasNoObsoleteVersionKey_AndPinsEveryImage()
    {
        Assert.False(_compose.Root.Children.ContainsKey(new YamlScalarNode("version")), "docker-compose.yml still has the obsolete top-level 'version' key");
        foreach (var service in _compose.ServiceNames)
        {
            var image = ComposeYaml.Scalar(_compose.Service(service), "image") ?? "";
            var tag = image.Contains(':', StringComparison.Ordinal) ? image[(image.IndexOf(':', StringComparison.Ordinal) + 1)..] : "";
            Assert.True(tag.Length > 0 && tag != "latest", $"{service}: image '{image}' is not pinned to a tag");
        }

        // Our images carry the version, so that an upgrade that sets REDUNDANCY_VERSION really changes the image.
        Assert.All(Silos.Append("dashboard"), s => Assert.EndsWith(":${REDUNDANCY_VERSION:-1.0.0}", ComposeYaml.Scalar(_compose.Service(s), "image")));
    }

    [Fact]
    public void Yaml_EveryServiceProbesItsOwnReadiness_AndStartsAfterWhatItNeedsIsHealthy()
    {
        foreach (var service in _compose.ServiceNames.Where(s => s != "prometheus"))
        {
            var test = ComposeYaml.Sequence(_compose.Service(service), "healthcheck", "test");
            Assert.True(test.Count > 1 && test[0] == "CMD", $"{service}: no exec-form health check (got [{string.Join(", ", test)}])");
        }

        Assert.Equal(["CMD", "redis-cli", "ping"], ComposeYaml.Sequence(_compose.Service("redis"), "healthcheck", "test"));
        foreach (var silo in Silos)
        {
            var environment = ComposeYaml.Node(_compose.Service(silo), "environment")!;
            var port = silo == "control"
                ? new Uri(ComposeYaml.Scalar(environment, "REDUNDANCY_CHASSIS__APIURL")!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : ComposeYaml.Scalar(environment, "REDUNDANCY_CHASSIS__HTTPPORT");
            Assert.Equal(["CMD", "dotnet", "Redundancy.Orleans.Silo.dll", "--probe", $"http://127.0.0.1:{port}/readyz"], ComposeYaml.Sequence(_compose.Service(silo), "healthcheck", "test"));
            Assert.Equal("service_healthy", ComposeYaml.Scalar(_compose.Service(silo), "depends_on", "redis", "condition"));
        }

        var dashboardPort = new Uri(ComposeYaml.Scalar(_compose.Service("dashboard"), "environment", "REDUNDANCY_DASHBOARD__URL")!).Port;
        Assert.Equal(["CMD", "dotnet", "Redundancy.Orleans.Dashboard.dll", "--probe", $"http://127.0.0.1:{dashboardPort}/readyz"], ComposeYaml.Sequence(_compose.Service("dashboard"), "healthcheck", "test"));
        Assert.Equal("service_healthy", ComposeYaml.Scalar(_compose.Service("dashboard"), "depends_on", "redis", "condition"));
        Assert.Equal("service_healthy", ComposeYaml.Scalar(_compose.Service("dashboard"), "depends_on", "control", "condition"));

        // Long form only: a short list has no condition.
        Assert.All(_compose.ServiceNames, s => Assert.False(ComposeYaml.Node(_compose.Service(s), "depends_on") is YamlSequenceNode, $"{s}: depends_on is a list without conditions"));
    }

    [Fact]
    public void Yaml_EveryServiceRestartsByItself()
    {
        foreach (var service in _compose.ServiceNames)
        {
            Assert.True(ComposeYaml.Scalar(_compose.Service(service), "restart") is "on-failure" or "unless-stopped" or "always",
                $"{service}: restart policy '{ComposeYaml.Scalar(_compose.Service(service), "restart")}'");
        }
    }

    [Fact]
    public void PrometheusConfiguration_ScrapesEveryCardOnceOnItsHttpPort_AndLoadsTheAlertRules()
    {
        var prometheus = PrometheusConfig.Load();
        var expected = Silos.Where(s => s != "control")
            .Select(s => $"redundancy-cards {s}:{ComposeYaml.Scalar(_compose.Service(s), "environment", "REDUNDANCY_CHASSIS__HTTPPORT")}")
            .Append($"redundancy-control control:{new Uri(ComposeYaml.Scalar(_compose.Service("control"), "environment", "REDUNDANCY_CHASSIS__APIURL")!).Port}")
            .Append($"redundancy-dashboard dashboard:{new Uri(ComposeYaml.Scalar(_compose.Service("dashboard"), "environment", "REDUNDANCY_DASHBOARD__URL")!).Port}");
        Assert.Equal(expected.Order(StringComparer.Ordinal), prometheus.Targets.Select(t => $"{t.Job} {t.Target}").Order(StringComparer.Ordinal));
        Assert.Equal(["alerts.yml"], ComposeYaml.Sequence(prometheus.Root, "rule_files"));
        Assert.Contains("./deploy/prometheus:/etc/prometheus:ro", ComposeYaml.Sequence(_compose.Service("prometheus"), "volumes"));
    }

    [ComposeFact]
    public async Task UpgradeTemplate_StartsACardOnTheNextVersionsImage()
    {
        // The README's template: REDUNDANCY_VERSION={version} docker compose up -d --no-deps {card}.
        Assert.Contains("--start-template 'REDUNDANCY_VERSION={version} docker compose up -d --no-deps {card}'", File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")));
        var (code, output) = await ComposeFile.RunAsync(new Dictionary<string, string> { ["REDUNDANCY_VERSION"] = "2.0.0" });
        Assert.True(code == 0, output);
        Assert.Equal(Silos.Length, Regex.Matches(output, @"image: redundancy-orleans-silo:2\.0\.0\b").Count);
    }
}
