using Redundancy.Orleans.Testing;
using YamlDotNet.RepresentationModel;

namespace Redundancy.Orleans.Tests.Deployment;

/// <summary>The shipped deploy/prometheus/prometheus.yml: its static scrape targets by job, and the text to localize.</summary>
internal sealed class PrometheusConfig
{
    private PrometheusConfig(YamlMappingNode root, string text, IReadOnlyList<(string Job, string Target)> targets) => (Root, Text, Targets) = (root, text, targets);

    public static string Directory => Path.Combine(RepoPaths.Root, "deploy", "prometheus");

    public YamlMappingNode Root { get; }

    public string Text { get; }

    public IReadOnlyList<(string Job, string Target)> Targets { get; }

    public static PrometheusConfig Load()
    {
        var text = File.ReadAllText(Path.Combine(Directory, "prometheus.yml"));
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var targets = new List<(string, string)>();
        foreach (var job in ((YamlSequenceNode)root["scrape_configs"]).Cast<YamlMappingNode>())
        {
            foreach (var config in ((YamlSequenceNode)job["static_configs"]).Cast<YamlMappingNode>())
            {
                targets.AddRange(((YamlSequenceNode)config["targets"]).Select(t => (ComposeYaml.Scalar(job, "job_name")!, ((YamlScalarNode)t).Value!)));
            }
        }

        return new PrometheusConfig(root, text, targets);
    }

    /// <summary>The configuration with each target replaced (<c>card-1:9100</c> → <c>127.0.0.1:P</c>) and a faster scrape.</summary>
    public string Localized(IReadOnlyDictionary<string, string> targets)
    {
        var text = Text.Replace("scrape_interval: 5s", "scrape_interval: 2s", StringComparison.Ordinal);
        foreach (var (from, to) in targets)
        {
            text = text.Replace($"\"{from}\"", $"\"{to}\"", StringComparison.Ordinal);
        }

        return text;
    }
}
