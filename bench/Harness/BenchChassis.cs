using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
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
    private readonly IHost _clientHost;

    private BenchChassis(Process process, IHost clientHost, ChassisClient api)
    {
        _process = process;
        _clientHost = clientHost;
        Api = api;
    }

    public ChassisClient Api { get; }

    public IClusterClient Grains => _clientHost.Services.GetRequiredService<IClusterClient>();

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
                 }.Concat(processTable).Concat(extra))
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new ChassisClient(api);
        await client.WaitForAsync(s => s.Cards.Count(c => c.Alive) == slots + spares + 1 && s.Processes.Count > 0 && s.Processes.All(p => p.State == ProcessState.Ready),
            TimeSpan.FromSeconds(120), "the benchmark chassis to start");

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(c =>
        {
            c.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, basePort + 10000));
            c.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
        });
        var host = builder.Build();
        await host.StartAsync();
        return new BenchChassis(process, host, client);
    }

    /// <summary>Process-table arguments: name, slot, kind and optional per-process replication settings.</summary>
    public static IEnumerable<string> ProcessArgs(int index, string name, int slot, string kind = "routing", int? replicas = null, string? mode = null)
    {
        var at = $"--Redundancy:Processes:{index}:";
        yield return $"{at}Name={name}";
        yield return $"{at}Slot={slot}";
        yield return $"{at}Kind={kind}";
        if (replicas is { } k)
        {
            yield return $"{at}ReplicaCount={k}";
        }

        if (mode is not null)
        {
            yield return $"{at}Mode={mode}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _clientHost.StopAsync();
        _clientHost.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Api.Dispose();
    }
}
