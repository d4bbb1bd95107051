using System.Diagnostics;
using System.IO.Compression;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Packaging;

/// <summary>
/// The CLI's package as an operator gets it: `dotnet pack` output installed with `dotnet tool install` into a tool
/// path of its own, then run. NuGet's package cache is a fresh folder too, so an older package of the same version
/// can never stand in for the one just packed. The package carries the contracts without the Orleans SDK, runtime or
/// Roslyn (see <see cref="ClientPackageTests"/>).
/// </summary>
[Collection(nameof(Packing))]
[Trait("Category", TestCategories.MultiProcess)]
public sealed class CliToolPackageTests
{
    [Fact]
    public async Task PackedCli_InstallsAsADotnetTool_AndPrintsItsVersion()
    {
        var work = Directory.CreateTempSubdirectory("redundancy-tool-");
        try
        {
            var packages = Path.Combine(work.FullName, "packages");
            var tools = Path.Combine(work.FullName, "tools");
            var cache = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work.FullName, "nuget-cache") };

            await RunAsync("dotnet", ["pack", Path.Combine(RepoPaths.Root, "cli", "Redundancy.Orleans.Cli.csproj"), "--no-build", "-c", RepoPaths.Configuration, "-o", packages], cache, "pack the CLI");
            var package = Assert.Single(Directory.GetFiles(packages, "Redundancy.Orleans.Cli.*.nupkg"));
            Assert.True(new FileInfo(package).Length < 2_000_000, $"{package} is {new FileInfo(package).Length} bytes");
            AssertNoServerSideOrleans(package);
            await RunAsync("dotnet", ["tool", "install", "Redundancy.Orleans.Cli", "--tool-path", tools, "--add-source", packages], cache, "install the packed CLI as a tool");
            var version = await RunAsync(Path.Combine(tools, "redundancy"), ["--version"], cache, "run the installed tool");

            Assert.Matches(@"^\d+\.\d+\.\d+", version);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The tool carries the contracts and the serialization attributes, not the Orleans SDK, runtime or Roslyn.</summary>
    private static void AssertNoServerSideOrleans(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var assemblies = zip.Entries.Where(e => e.Name.EndsWith(".dll", StringComparison.Ordinal)).Select(e => e.Name).ToList();

        Assert.Contains("Redundancy.Orleans.Contracts.dll", assemblies);
        Assert.DoesNotContain("Redundancy.Orleans.Abstractions.dll", assemblies);
        Assert.DoesNotContain(assemblies, a => a.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)
            || a.StartsWith("Orleans.", StringComparison.Ordinal) && a != "Orleans.Serialization.Abstractions.dll");
    }

    private static async Task<string> RunAsync(string file, string[] args, IReadOnlyDictionary<string, string> environment, string what)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{what}: {file} {string.Join(' ', args)} exited {process.ExitCode}\n{await output}\n{await error}");
        return await output;
    }
}
