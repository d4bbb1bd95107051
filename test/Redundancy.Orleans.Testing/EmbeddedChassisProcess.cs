using System.Diagnostics;
using System.Text;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Testing;

/// <summary>
/// The real embedded chassis (`dotnet silo.dll`) as an OS process on free loopback ports: a control silo
/// that starts its line cards and spares as further OS processes.
/// </summary>
public sealed class EmbeddedChassisProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private EmbeddedChassisProcess(Process process, ChassisClient client, string logDirectory)
    {
        _process = process;
        Client = client;
        LogDirectory = logDirectory;
    }

    public ChassisClient Client { get; }

    public string LogDirectory { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<EmbeddedChassisProcess> StartAsync(int slots, int spares, params string[] extraArguments) =>
        StartAsync(slots, spares, replacementCards: 8, extraArguments);

    /// <param name="replacementCards">How many cards the test may add later (ports are reserved for them).</param>
    public static async Task<EmbeddedChassisProcess> StartAsync(int slots, int spares, int replacementCards, params string[] extraArguments)
    {
        var basePort = FreePorts.Range(slots + spares + 1 + replacementCards);
        var api = new Uri($"http://127.0.0.1:{FreePorts.One()}");
        var logDirectory = Path.Combine(Path.GetTempPath(), "redundancy-tests", Guid.NewGuid().ToString("N"));
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepoPaths.SiloDll);
        foreach (var a in new[]
                 {
                     $"--Chassis:Slots={slots}", $"--Chassis:Spares={spares}", $"--Chassis:BasePort={basePort}",
                     $"--Chassis:ApiUrl={api.ToString().TrimEnd('/')}", $"--Chassis:ClusterId=test-{basePort}", $"--Chassis:LogDirectory={logDirectory}",
                     "--Logging:LogLevel:Default=Warning",
                 }.Concat(extraArguments))
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        var chassis = new EmbeddedChassisProcess(process, new ChassisClient(api), logDirectory);
        process.OutputDataReceived += (_, e) => chassis.Append(e.Data);
        process.ErrorDataReceived += (_, e) => chassis.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await chassis.Client.WaitForAsync(
                s => s.Cards.Count(c => c.Alive) == slots + spares + 1 && s.Processes.All(p => p.State == ProcessState.Ready),
                TimeSpan.FromSeconds(90),
                $"embedded chassis start: {slots + spares + 1} cards alive and every process ready");
            await Eventually.WaitAsync(() => Task.FromResult(chassis.Output), o => o.Contains("Press Ctrl+C", StringComparison.Ordinal), TimeSpan.FromSeconds(60),
                "the embedded chassis to load its workload and print its status", o => o.Length > 2000 ? o[^2000..] : o);
        }
        catch (Exception e)
        {
            await chassis.DisposeAsync();
            throw new InvalidOperationException($"{e.Message}\nChassis output:\n{chassis.Output}", e);
        }

        return chassis;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        Client.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
