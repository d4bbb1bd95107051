using Redundancy.Orleans.Testing;
using YamlDotNet.RepresentationModel;

namespace Redundancy.Orleans.Tests.Deployment;

/// <summary>
/// docker-compose.yml read as YAML itself, for what <c>docker-compose config</c> may drop or rewrite (Debian's
/// docker-compose 1.29 drops <c>depends_on</c> conditions from its output). Aliases are resolved by the parser; merge
/// keys (<c>&lt;&lt;: *silo</c>) by <see cref="Child"/>, where a service's own key wins over the merged one.
/// </summary>
internal sealed class ComposeYaml
{
    private ComposeYaml(YamlMappingNode root) => Root = root;

    public YamlMappingNode Root { get; }

    public YamlMappingNode Services => (YamlMappingNode)Root["services"];

    public static ComposeYaml Load(string path)
    {
        using var reader = new StreamReader(path);
        var yaml = new YamlStream();
        yaml.Load(reader);
        return new ComposeYaml((YamlMappingNode)yaml.Documents[0].RootNode);
    }

    public static ComposeYaml LoadRepository() => Load(ComposeFile.PathName);

    public YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    public IEnumerable<string> ServiceNames => Services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    /// <summary>The value of <paramref name="key"/> in a mapping, looking into its merge key (<c>&lt;&lt;</c>) when it has none of its own.</summary>
    public static YamlNode? Child(YamlNode node, string key)
    {
        if (node is not YamlMappingNode map)
        {
            return null;
        }

        if (map.Children.TryGetValue(new YamlScalarNode(key), out var own))
        {
            return own;
        }

        return map.Children.TryGetValue(new YamlScalarNode("<<"), out var merged)
            ? (merged is YamlSequenceNode several ? several.Children : [merged]).Select(m => Child(m, key)).FirstOrDefault(v => v is not null)
            : null;
    }

    /// <summary>The node under a path of keys, or null when any step is missing.</summary>
    public static YamlNode? Node(YamlNode node, params string[] path)
    {
        YamlNode? current = node;
        foreach (var key in path)
        {
            current = current is null ? null : Child(current, key);
        }

        return current;
    }

    /// <summary>A scalar under a path of keys, or null when any step is missing.</summary>
    public static string? Scalar(YamlNode node, params string[] path) => (Node(node, path) as YamlScalarNode)?.Value;

    /// <summary>A sequence of scalars under a path of keys (empty when missing).</summary>
    public static IReadOnlyList<string> Sequence(YamlNode node, params string[] path) =>
        Node(node, path) is YamlSequenceNode seq ? seq.Children.Select(c => ((YamlScalarNode)c).Value!).ToList() : [];
}
