using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Packaging;

/// <summary>
/// The .NET SDK (<c>Redundancy.Orleans.Client</c>) and the CLI stay small: they reach Orleans only through
/// <c>Redundancy.Orleans.Contracts</c>, whose one Orleans dependency is <c>Microsoft.Orleans.Serialization.Abstractions</c>
/// (the serialization attributes). The Orleans SDK, core, runtime, serializer and code generator, and Roslyn, which the
/// serializer lists as a runtime dependency, are for silos and Orleans clients.
/// </summary>
[Collection(nameof(Packing))]
[Trait("Category", TestCategories.MultiProcess)]
public sealed class ClientPackageTests
{
    [Fact]
    public async Task ClientPackage_DependsOnTheContractsAlone_WhichNeedOnlyTheSerializationAttributes()
    {
        var work = Directory.CreateTempSubdirectory("redundancy-client-package-");
        try
        {
            await PackAsync(work.FullName, "src/Redundancy.Orleans.Client/Redundancy.Orleans.Client.csproj", "src/Redundancy.Orleans.Contracts/Redundancy.Orleans.Contracts.csproj");

            Assert.Equal(new[] { "Redundancy.Orleans.Contracts" }, Dependencies(work.FullName, "Redundancy.Orleans.Client"));
            Assert.Equal(new[] { "Microsoft.Orleans.Serialization.Abstractions" }, Dependencies(work.FullName, "Redundancy.Orleans.Contracts"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task RoutingClientPackage_DependsOnTheClientAndTheRoutingContracts_WhichNeedNoServerSideOrleans()
    {
        var work = Directory.CreateTempSubdirectory("redundancy-routing-client-package-");
        try
        {
            await PackAsync(work.FullName, "src/Redundancy.Orleans.Routing.Client/Redundancy.Orleans.Routing.Client.csproj", "src/Redundancy.Orleans.Routing.Contracts/Redundancy.Orleans.Routing.Contracts.csproj");

            Assert.Equal(new[] { "Redundancy.Orleans.Client", "Redundancy.Orleans.Routing.Contracts" }, Dependencies(work.FullName, "Redundancy.Orleans.Routing.Client"));
            Assert.Equal(new[] { "Microsoft.Orleans.Serialization.Abstractions", "Redundancy.Orleans.Contracts" }, Dependencies(work.FullName, "Redundancy.Orleans.Routing.Contracts"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public void ClientProject_RestoredClosure_HasNoServerSideOrleansNorRoslyn()
    {
        // NuGet's own resolution of everything the SDK brings, transitive packages included.
        var assets = Path.Combine(RepoPaths.Root, "src", "Redundancy.Orleans.Client", "obj", "project.assets.json");
        using var json = JsonDocument.Parse(File.ReadAllText(assets));
        // Build-time tools the project references privately (PrivateAssets="all", as the public API analyzer) never
        // reach the client's users: not in the package's dependencies, so not in what they restore.
        var buildOnly = json.RootElement.GetProperty("project").GetProperty("frameworks").EnumerateObject()
            .SelectMany(f => f.Value.TryGetProperty("dependencies", out var d) ? d.EnumerateObject().ToList() : [])
            .Where(d => d.Value.TryGetProperty("suppressParent", out var s) && s.GetString() == "All")
            .Select(d => d.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var packages = json.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(l => l.Value.GetProperty("type").GetString() == "package")
            .Select(l => l.Name.Split('/')[0])
            .Where(p => !buildOnly.Contains(p))
            .ToList();

        Assert.Contains("Microsoft.Orleans.Serialization.Abstractions", packages);
        Assert.DoesNotContain(packages, IsServerSide);
    }

    /// <summary>Packs the built projects into <paramref name="folder"/>.</summary>
    private static async Task PackAsync(string folder, params string[] projects)
    {
        foreach (var project in projects)
        {
            var (code, output) = await ExternalTool.RunAsync("dotnet", ["pack", project, "--no-build", "-c", RepoPaths.Configuration, "-o", folder], RepoPaths.Root, TimeSpan.FromMinutes(3));
            Assert.True(code == 0, $"dotnet pack {project} exited {code}:\n{output}");
        }
    }

    /// <summary>An Orleans package other than the serialization attributes, or Roslyn.</summary>
    private static bool IsServerSide(string package) =>
        package.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase)
        || package.StartsWith("Microsoft.Orleans.", StringComparison.OrdinalIgnoreCase)
        && !package.Equals("Microsoft.Orleans.Serialization.Abstractions", StringComparison.OrdinalIgnoreCase);

    /// <summary>The package ids a packed package's nuspec depends on (every target framework).</summary>
    private static IReadOnlyList<string> Dependencies(string folder, string id)
    {
        var package = Assert.Single(Directory.GetFiles(folder, id + ".*.nupkg"), p => !Path.GetFileName(p).EndsWith(".symbols.nupkg", StringComparison.Ordinal));
        using var zip = ZipFile.OpenRead(package);
        var nuspec = zip.Entries.Single(e => e.FullName == id + ".nuspec");
        using var stream = nuspec.Open();
        return XDocument.Load(stream).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string)e.Attribute("id")!).Distinct().Order(StringComparer.Ordinal).ToList();
    }
}

/// <summary>Tests that run <c>dotnet pack</c>: one at a time (each is a few seconds of a core).</summary>
[CollectionDefinition(nameof(Packing))]
[Trait("Category", TestCategories.MultiProcess)]
public sealed class Packing;
