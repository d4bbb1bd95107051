using System.Diagnostics;

namespace Redundancy.Orleans.Silo.Embedded;

/// <summary>
/// A card started as a real OS process from the built silo (never through <c>dotnet run</c>, whose child
/// would survive a <c>kill -9</c>). Its standard input is a pipe: when the chassis process dies the pipe
/// closes and the card exits, so no orphan cards stay behind.
/// </summary>
internal sealed class CardProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private CardProcess(string cardId, int siloPort, Process process, StreamWriter log, string logPath)
    {
        CardId = cardId;
        SiloPort = siloPort;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string CardId { get; }

    public int SiloPort { get; }

    public string LogPath { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The silo's entry assembly file name in a build directory.</summary>
    public const string EntryAssembly = "Redundancy.Orleans.Silo.dll";

    /// <summary>Starts a card from this build, or from the build in <paramref name="buildDirectory"/>.</summary>
    public static CardProcess Start(string cardId, int siloPort, IEnumerable<string> arguments, string logDirectory, string? buildDirectory = null)
    {
        var (fileName, prefix) = buildDirectory is null ? SelfLaunch() : (DotnetHost(), [Path.GetFullPath(Path.Combine(buildDirectory, EntryAssembly))]);
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in prefix.Concat(arguments))
        {
            info.ArgumentList.Add(a);
        }

        Directory.CreateDirectory(logDirectory);
        var logPath = Path.Combine(logDirectory, cardId + ".log");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start card '{cardId}' ({fileName}).");
        var card = new CardProcess(cardId, siloPort, process, log, logPath);
        process.OutputDataReceived += (_, e) => card.Write(e.Data);
        process.ErrorDataReceived += (_, e) => card.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return card;
    }

    /// <summary>Graceful stop (SIGTERM: the silo leaves the membership); killed if still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }

        Signals.Send(_process.Id, Signals.Terminate);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return null;
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.BaseStream.CanWrite)
            {
                _log.WriteLine(line);
            }
        }
    }

    private static string DotnetHost()
    {
        var host = Environment.ProcessPath;
        if (host is not null && Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return host;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
    }

    private static (string FileName, string[] Prefix) SelfLaunch()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which executable runs the chassis.");
        var entry = typeof(CardProcess).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? (host, [entry]) : (host, []);
    }
}
