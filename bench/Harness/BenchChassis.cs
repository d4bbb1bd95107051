using System.Diagnostics;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Testing;

namespace Redundancy.Orleans.Bench.Harness;

/// <summary>
/// A real embedded chassis (the built silo, Release) on free loopback ports, plus an Orleans client on the
/// control silo's gateway so that measurements do not include HTTP.
/// </summary>
internal sealed class BenchChassis : IAsyncDisposable
{
    private readonly Process _process;
    private readonly GatewayClient _client;

    private BenchChassis(Process process, GatewayClient client, ChassisClient api)
    {
        _process = process;
        _client = client;
        Api = api;
    }

    public ChassisClient Api { get; }

    /// <summary>Configuration for every chassis of the run (<c>--set Section:Key=value</c>), after the scenario's own.</summary>
    public static IReadOnlyList<string> Settings { get; set; } = [];

    public IClusterClient Grains => _client.Grains;

    public static async Task<BenchChassis> StartAsync(int slots, int spares, IReadOnlyList<string> processTable, params string[] extra)
    {
        var basePort = FreePorts.Range(slots + spares + 4);
        var api = new Uri($"http://127.0.0.1:{FreePorts.One()}");
        var clusterId = $"bench-{basePort}";
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(RepoPaths.SiloDll);
        foreach (var a in new[]
                 {
                     $"--Chassis:Slots={slots}", $"--Chassis:Spares={spares}", $"--Chassis:BasePort={basePort}", $"--Chassis:ApiUrl={api.ToString().TrimEnd('/')}",
                     $"--Chassis:ClusterId={clusterId}", "--Chassis:RoutesPerProcess=0", "--Logging:LogLevel:Default=Warning",
                     "--Redundancy:MaxRestarts=1000", // the benchmark crashes processes on purpose, many times a minute
                     $"--Chassis:LogDirectory={Path.Combine(Path.GetTempPath(), "redundancy-bench", clusterId)}",
                 }.Concat(processTable).Concat(extra).Concat(Settings))
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new ChassisClient(api);
        try
        {
            await client.WaitForAsync(s => s.Cards.Count(c => c.Alive) == slots + spares + 1 && s.Processes.Count > 0 && s.Processes.All(p => p.State == ProcessState.Ready),
                TimeSpan.FromSeconds(120), "the benchmark chassis to start");
        }
        catch
        {
            // A chassis that did not start must not outlive the run (its cards exit when it does).
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            client.Dispose();
            throw;
        }

        return new BenchChassis(process, await GatewayClient.StartAsync(basePort + 10000, clusterId), client);
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Api.Dispose();
    }
}
