using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Redundancy.Orleans.Tests.Telemetry;

/// <summary>
/// The shipped alert rules (deploy/prometheus/alerts.yml) and Grafana dashboard (deploy/grafana/) name only metrics and
/// labels we export, and pass promtool's checks and unit tests.
/// </summary>
[Trait("Category", TestCategories.MultiProcess)]
public sealed class AlertRuleTests
{
    private static readonly string PrometheusDirectory = Path.Combine(RepoPaths.Root, "deploy", "prometheus");
    private static readonly string AlertsPath = Path.Combine(PrometheusDirectory, "alerts.yml");
    private static readonly string DashboardPath = Path.Combine(RepoPaths.Root, "deploy", "grafana", "redundancy-chassis.json");

    [Fact]
    public void AlertsAndDashboard_NameOnlyExportedMetricsAndLabels()
    {
        var series = Instruments.All.SelectMany(d => d.PrometheusSeries).ToHashSet(StringComparer.Ordinal);
        var labels = Instruments.All.SelectMany(d => d.Attributes).Select(InstrumentDefinition.PrometheusLabel).ToHashSet(StringComparer.Ordinal);
        var unknown = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (where, expr) in AlertExpressions().Concat(DashboardExpressions()))
        {
            // Our names all start with redundancy_: each is a series we export or a label one of them carries.
            foreach (var name in Regex.Matches(expr, @"\bredundancy_[a-z0-9_]+").Select(m => m.Value))
            {
                used.Add(name);
                if (!series.Contains(name) && !labels.Contains(name))
                {
                    unknown.Add($"{where}: {name}");
                }
            }
        }

        Assert.True(unknown.Count == 0, "names that we do not export: " + string.Join("; ", unknown) + $"\nexported series: {string.Join(", ", series)}\nlabels: {string.Join(", ", labels)}");
        Assert.Contains(Instruments.FailoverPhaseDuration.PrometheusName + "_bucket", used);

        // A bucket boundary an expression compares with must be one the histograms have.
        foreach (var le in AlertExpressions().SelectMany(e => Regex.Matches(e.Expr, "\\ble=\"(?<v>[^\"]+)\"").Select(m => m.Groups["v"].Value)))
        {
            Assert.Contains(double.Parse(le, CultureInfo.InvariantCulture), Instruments.DurationBuckets);
        }
    }

    [PromtoolFact]
    public async Task Promtool_ChecksTheRulesAndRunsTheirUnitTests()
    {
        var (code, output) = await Promtool("check", "rules", AlertsPath);
        Assert.True(code == 0, $"promtool check rules alerts.yml exited {code}:\n{output}");
        (code, output) = await Promtool("test", "rules", Path.Combine(PrometheusDirectory, "alerts.test.yml"));
        Assert.True(code == 0, $"promtool test rules alerts.test.yml exited {code}:\n{output}");
    }

    [PromtoolFact]
    public async Task Promtool_ParsesEveryDashboardExpression()
    {
        // promtool checks PromQL inside rule files: each panel query becomes a recording rule (Grafana's
        // $__rate_interval becomes a fixed range).
        var rules = new System.Text.StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        var i = 0;
        foreach (var (where, expr) in DashboardExpressions())
        {
            rules.Append(CultureInfo.InvariantCulture, $"      - record: dashboard:panel{i++}\n        # {where}\n        expr: {JsonSerializer.Serialize(expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal))}\n");
        }

        var file = Path.Combine(Directory.CreateTempSubdirectory("redundancy-dashboard-").FullName, "dashboard-rules.yml");
        await File.WriteAllTextAsync(file, rules.ToString());
        var (code, output) = await Promtool("check", "rules", file);
        Assert.True(code == 0, $"promtool check rules on the dashboard's queries exited {code}:\n{output}\n{rules}");
    }

    private static Task<(int Code, string Output)> Promtool(params string[] arguments) =>
        ExternalTool.RunAsync(PrometheusServer.Promtool ?? throw new InvalidOperationException("promtool is not installed: apt-get install prometheus (.ci/run installs it)."),
            arguments, PrometheusDirectory, TimeSpan.FromSeconds(60));

    /// <summary>Every alert's expression, read from the YAML itself.</summary>
    private static IEnumerable<(string Where, string Expr)> AlertExpressions()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(AlertsPath))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        foreach (var group in (YamlSequenceNode)root["groups"])
        {
            foreach (var rule in ((YamlSequenceNode)((YamlMappingNode)group)["rules"]).Cast<YamlMappingNode>())
            {
                yield return ($"alert {rule["alert"]}", ((YamlScalarNode)rule["expr"]).Value!);
            }
        }
    }

    /// <summary>Every panel query of the Grafana dashboard.</summary>
    private static IEnumerable<(string Where, string Expr)> DashboardExpressions()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        var result = new List<(string, string)>();
        foreach (var panel in doc.RootElement.GetProperty("panels").EnumerateArray())
        {
            if (panel.TryGetProperty("targets", out var targets))
            {
                result.AddRange(targets.EnumerateArray().Select(t => ($"panel '{panel.GetProperty("title").GetString()}'", t.GetProperty("expr").GetString()!)));
            }
        }

        Assert.NotEmpty(result);
        return result;
    }
}
