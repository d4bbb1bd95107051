using System.Collections.Concurrent;
using System.Diagnostics;

namespace Redundancy.Orleans.Testing;

/// <summary>
/// Other real builds of the silo for rolling-upgrade tests (U1): <c>dotnet build -p:RoutingAppVersion=N</c>,
/// which puts them in <c>artifacts/builds/vN</c> (see Directory.Build.props). Built once per test run.
/// </summary>
public static class VariantBuilds
{
    private static readonly ConcurrentDictionary<int, Lazy<Task<string>>> Builds = new();
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>The directory holding build <paramref name="routingAppVersion"/>'s silo dll.</summary>
    public static Task<string> SiloDirectoryAsync(int routingAppVersion) =>
        Builds.GetOrAdd(routingAppVersion, v => new Lazy<Task<string>>(() => BuildAsync(v))).Value;

    private static async Task<string> BuildAsync(int version)
    {
        await OneAtATime.WaitAsync();
        try
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
            foreach (var a in new[]
                     {
                         "build", Path.Combine(RepoPaths.Root, "silo", "Redundancy.Orleans.Silo.csproj"), "-c", RepoPaths.Configuration,
                         $"-p:RoutingAppVersion={version}", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-v:q", "-nologo",
                     })
            {
                info.ArgumentList.Add(a);
            }

            // No build server may outlive the build: it would hold the test host's output pipes open.
            info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
            await process.WaitForExitAsync(timeout.Token);
            var directory = Path.Combine(RepoPaths.Root, "artifacts", "builds", $"v{version}", "bin", "Redundancy.Orleans.Silo", RepoPaths.Configuration, "net10.0");
            if (process.ExitCode != 0 || !File.Exists(Path.Combine(directory, "Redundancy.Orleans.Silo.dll")))
            {
                throw new InvalidOperationException($"Building variant {version} of the silo failed (exit {process.ExitCode}):{Environment.NewLine}{await output}{await error}");
            }

            return directory;
        }
        finally
        {
            OneAtATime.Release();
        }
    }
}
