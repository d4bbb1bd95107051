using System.Text.RegularExpressions;
using System.Xml.Linq;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Deployment;

/// <summary>
/// No Docker engine runs here, so the images are never built in CI. What breaks them silently is a project the
/// image's first restore or publish needs but that the Dockerfile did not copy in yet: checked against the
/// project files' real references.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed partial class DockerfileTests
{
    [Theory]
    [InlineData("silo/Dockerfile", "silo/Redundancy.Orleans.Silo.csproj")]
    [InlineData("dashboard/Dockerfile", "dashboard/Redundancy.Orleans.Dashboard.csproj")]
    public void FirstRestoreOrPublish_HasEveryProjectItNeedsCopiedIn(string dockerfile, string project)
    {
        var copied = new List<string>();
        string? firstBuild = null;
        foreach (var line in File.ReadAllLines(Path.Combine(RepoPaths.Root, dockerfile)))
        {
            if (Copy().Match(line) is { Success: true } copy && !line.Contains("--from=", StringComparison.Ordinal))
            {
                copied.AddRange(copy.Groups["sources"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]);
            }
            else if (line.StartsWith("RUN dotnet ", StringComparison.Ordinal))
            {
                firstBuild = line;
                break;
            }
        }

        Assert.NotNull(firstBuild);
        var needed = ProjectClosure(project).Append("Directory.Build.props").Append("Directory.Packages.props").ToList();
        var missing = needed.Where(path => !copied.Any(c => c == path || (c.EndsWith('/') && path.StartsWith(c, StringComparison.Ordinal)) || c == "./")).ToList();
        Assert.True(missing.Count == 0, $"{dockerfile}: '{firstBuild}' runs before these are copied in: {string.Join(", ", missing)} (copied: {string.Join(", ", copied)})");
    }

    /// <summary>The project and every project it references, transitively, as repository-relative paths.</summary>
    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([project]);
        while (queue.TryDequeue(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(Path.Combine(RepoPaths.Root, current))!;
            foreach (var reference in XDocument.Load(Path.Combine(RepoPaths.Root, current)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(directory, reference.Attribute("Include")!.Value));
                queue.Enqueue(Path.GetRelativePath(RepoPaths.Root, full).Replace('\\', '/'));
            }
        }

        return seen;
    }

    [GeneratedRegex("^COPY (?<sources>.+)$")]
    private static partial Regex Copy();
}
