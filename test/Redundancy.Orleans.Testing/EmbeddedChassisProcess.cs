using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Testing;

/// <summary>
/// The real embedded chassis (`dotnet silo.dll`) as an OS process on free loopback ports: a control silo
/// that starts its line cards and spares as further OS processes.
/// </summary>
public sealed class EmbeddedChassisProcess : IAsyncDisposable
{
    private readonly SiloProcess _process;

    private EmbeddedChassisProcess(SiloProcess process, ChassisClient client, string logDirectory, int basePort)
    {
        _process = process;
        Client = client;
        LogDirectory = logDirectory;
        BasePort = basePort;
    }

    public ChassisClient Client { get; }

    /// <summary>The control silo's port; its gateway is <c>BasePort + 10000</c>.</summary>
    public int BasePort { get; }

    /// <summary>The Orleans cluster id of this chassis.</summary>
    public string ClusterId => $"test-{BasePort}";

    /// <summary>An Orleans client on the control silo's gateway (dispose it before the chassis).</summary>
    public Task<GatewayClient> ConnectAsync() => GatewayClient.StartAsync(BasePort + 10000, ClusterId);

    public string LogDirectory { get; }

    public string Output => _process.Output;

    /// <summary>True once the control silo's process ended (the chassis went down).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The last <paramref name="lines"/> lines of every card's log, for a failing test's output.</summary>
    public string LogTail(int lines = 60)
    {
        if (!Directory.Exists(LogDirectory))
        {
            return $"(no card logs in {LogDirectory})";
        }

        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.GetFiles(LogDirectory, "*.log").Order(StringComparer.Ordinal))
        {
            string[] all;
            try
            {
                all = File.ReadAllLines(file);
            }
            catch (IOException e)
            {
                all = [$"(unreadable: {e.Message})"];
            }

            text.AppendLine($"==== {Path.GetFileName(file)} (last {Math.Min(lines, all.Length)} of {all.Length} lines)");
            foreach (var line in all.TakeLast(lines))
            {
                text.AppendLine(line);
            }
        }

        return text.Append("==== control\n").Append(Texts.Tail(Output, 4000)).ToString();
    }

    /// <summary>Process-table arguments for the chassis command line: name, slot, kind and optional per-process replication settings.</summary>
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

    public static Task<EmbeddedChassisProcess> StartAsync(int slots, int spares, params string[] extraArguments) =>
        StartAsync(slots, spares, replacementCards: 8, extraArguments);

    /// <param name="replacementCards">How many cards the test may add later (ports are reserved for them).</param>
    public static Task<EmbeddedChassisProcess> StartAsync(int slots, int spares, int replacementCards, params string[] extraArguments) =>
        StartAsync(slots, spares, replacementCards, apiToken: null, extraArguments);

    /// <summary>
    /// A chassis whose management API listens on every interface with a bearer token, as compose runs the control
    /// card: every request, reads included, needs the token. <see cref="Client"/> carries it (over loopback).
    /// </summary>
    public static Task<EmbeddedChassisProcess> StartWithTokenAsync(int slots, int spares, string apiToken, params string[] extraArguments) =>
        StartAsync(slots, spares, replacementCards: 4, apiToken, extraArguments);

    private static async Task<EmbeddedChassisProcess> StartAsync(int slots, int spares, int replacementCards, string? apiToken, string[] extraArguments)
    {
        var chassis = Launch(slots, spares, replacementCards, apiToken, extraArguments);
        try
        {
            await chassis.Client.WaitForAsync(
                s => s.Cards.Count(c => c.Alive) == slots + spares + 1 && s.Processes.All(p => p.State == ProcessState.Ready),
                TimeSpan.FromSeconds(90),
                $"embedded chassis start: {slots + spares + 1} cards alive and every process ready");
            await Eventually.WaitAsync(() => Task.FromResult(chassis.Output), o => o.Contains("Press Ctrl+C", StringComparison.Ordinal), TimeSpan.FromSeconds(60),
                "the embedded chassis to load its workload and print its status", o => Texts.Tail(o, 2000));
        }
        catch (Exception e)
        {
            await chassis.DisposeAsync();
            throw new InvalidOperationException($"{e.Message}\nChassis output:\n{chassis.Output}", e);
        }

        return chassis;
    }

    /// <summary>Starts the chassis process and returns at once, before its cards are up (for tests of the start-up itself).</summary>
    public static EmbeddedChassisProcess Launch(int slots, int spares, int replacementCards, params string[] extraArguments) =>
        Launch(slots, spares, replacementCards, apiToken: null, extraArguments);

    /// <param name="apiToken">With a token, the API listens on every interface and needs it, as compose runs the control card.</param>
    private static EmbeddedChassisProcess Launch(int slots, int spares, int replacementCards, string? apiToken, string[] extraArguments)
    {
        var basePort = FreePorts.Range(slots + spares + 1 + replacementCards);
        var port = FreePorts.One();
        var api = new Uri($"http://127.0.0.1:{port}");
        var logDirectory = Path.Combine(Path.GetTempPath(), "redundancy-tests", Guid.NewGuid().ToString("N"));
        var process = SiloProcess.Start(new[]
        {
            $"--Chassis:Slots={slots}", $"--Chassis:Spares={spares}", $"--Chassis:BasePort={basePort}",
            $"--Chassis:ApiUrl={(apiToken is null ? api.ToString().TrimEnd('/') : $"http://0.0.0.0:{port}")}",
            $"--Chassis:ClusterId=test-{basePort}", $"--Chassis:LogDirectory={logDirectory}",
            "--Logging:LogLevel:Default=Warning",
        }.Concat(apiToken is null ? [] : [$"--Chassis:ApiToken={apiToken}"]).Concat(extraArguments));
        return new EmbeddedChassisProcess(process, new ChassisClient(api, apiToken), logDirectory, basePort);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Client.Dispose();
    }
}
