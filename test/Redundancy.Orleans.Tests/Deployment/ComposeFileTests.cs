using System.Reflection;
using System.Text.RegularExpressions;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Routing.Hosting;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.MultiProcess;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using Redundancy.Orleans.Configuration;
using Redundancy.Orleans.Routing.Configuration;

namespace Redundancy.Orleans.Tests.Deployment;

/// <summary>The compose file is valid and configures the silo only through keys the silo really reads.</summary>
public sealed class ComposeFileTests
{
    [ComposeFact]
    public async Task Config_IsValid()
    {
        var (code, output) = await ComposeFile.RunAsync("-q");
        Assert.True(code == 0, $"docker-compose config -q exited {code}:\n{output}");
    }

    [ComposeFact]
    public async Task Config_EveryEnvironmentVariableIsAConfigurationKeyTheSiloOrTheDashboardKnows()
    {
        var compose = await ComposeFile.LoadAsync();
        var known = await KnownKeysAsync();
        var dashboardKnown = await DashboardKnownKeysAsync();
        var unknown = new List<string>();
        foreach (var (service, environment) in compose.Environment)
        {
            // The dashboard is its own executable with its own keys; every other service is a silo.
            var keys = service == "dashboard" ? dashboardKnown : known;
            foreach (var variable in environment.Keys)
            {
                if (!variable.StartsWith("REDUNDANCY_", StringComparison.Ordinal) || !IsKnown(variable["REDUNDANCY_".Length..], keys))
                {
                    unknown.Add($"{service}: {variable}");
                }
            }
        }

        Assert.True(unknown.Count == 0, "variables the silo (or the dashboard) does not read: " + string.Join(", ", unknown) + $"; known: {string.Join(", ", known.SelectMany(k => k.Value.Select(p => k.Key + "__" + p)))}");
        Assert.Equal(["card-1", "card-2", "card-3", "control", "dashboard", "spare-1"], compose.Environment.Keys.Order(StringComparer.Ordinal));
        var cardIds = compose.Environment.Values.Select(e => e.GetValueOrDefault("REDUNDANCY_CHASSIS__CARDID")).OfType<string>().ToList();
        Assert.Equal(cardIds.Distinct().Count(), cardIds.Count);
    }

    [ComposeFact]
    public async Task Config_WithoutAnApiToken_IsRefused()
    {
        var info = new System.Diagnostics.ProcessStartInfo(ComposeFile.Executable!, ["-f", ComposeFile.PathName, "config", "-q"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = RepoPaths.Root,
        };
        info.Environment.Remove("REDUNDANCY_API_TOKEN");
        using var process = System.Diagnostics.Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("set REDUNDANCY_API_TOKEN", error);
    }

    private static bool IsKnown(string key, Dictionary<string, HashSet<string>> known)
    {
        var parts = key.Split("__");
        return parts.Length >= 2 && known.TryGetValue(parts[0], out var keys) && (keys.Count == 0 || keys.Contains(parts[1]));
    }

    /// <summary>Section → its keys (upper case, as environment variables spell them); an empty set: any key.</summary>
    private static async Task<Dictionary<string, HashSet<string>>> KnownKeysAsync()
    {
        // The silo says which Chassis keys it reads when it refuses an unknown one. (Loading its assembly into the
        // test process instead would make Orleans scan it, and its references, in every later in-process cluster.)
        var (code, output) = await SiloProcess.RunToExitAsync(TimeSpan.FromSeconds(60), ["--Chassis:NoSuchKey=1"]);
        var list = Regex.Match(output, "known keys: (?<keys>[^.]+)\\.");
        Assert.True(code == 2 && list.Success, $"the silo should refuse an unknown key and list the known ones; exit {code}: {output}");
        static HashSet<string> Keys(Type type) =>
            type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name.ToUpperInvariant()).ToHashSet();
        return new Dictionary<string, HashSet<string>>
        {
            ["CHASSIS"] = list.Groups["keys"].Value.Split(", ").Select(k => k.Trim().ToUpperInvariant()).ToHashSet(),
            ["REDUNDANCY"] = Keys(typeof(RedundancyOptions)),
            ["ROUTING"] = Keys(typeof(RoutingOptions)),
            ["LOGGING"] = [],
        };
    }

    /// <summary>The dashboard's sections and keys, as it lists them when it refuses an unknown one.</summary>
    private static async Task<Dictionary<string, HashSet<string>>> DashboardKnownKeysAsync()
    {
        var known = new Dictionary<string, HashSet<string>> { ["LOGGING"] = [] };
        foreach (var section in new[] { "Chassis", "Dashboard", "Telemetry" })
        {
            var (code, output) = await SiloProcess.RunToExitAsync(TimeSpan.FromSeconds(60), [$"--{section}:NoSuchKey=1"], dll: RepoPaths.DashboardDll);
            var list = Regex.Match(output, $"configuration error: {section}: unknown key\\(s\\) '?NoSuchKey'?; known keys: (?<keys>[^.]+)\\.");
            Assert.True(code == 2 && list.Success, $"the dashboard should refuse an unknown {section} key and list the known ones; exit {code}: {output}");
            known[section.ToUpperInvariant()] = list.Groups["keys"].Value.Split(", ").Select(k => k.Trim().ToUpperInvariant()).ToHashSet();
        }

        return known;
    }
}
