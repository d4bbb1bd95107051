using System.Diagnostics;
using System.Text;

namespace Redundancy.Orleans.Testing;

/// <summary>
/// The real silo executable (or another of our executables, such as the dashboard) as an OS process, configured by
/// arguments and environment variables.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

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

    /// <param name="dll">The executable to run; the silo when null (<see cref="RepoPaths.DashboardDll"/> for the dashboard).</param>
    public static SiloProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? dll = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll ?? RepoPaths.SiloDll);
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var silo = new SiloProcess(Process.Start(info)!);
        silo._process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        silo._process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Runs the silo until it exits (it must, within <paramref name="timeout"/>): its exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunToExitAsync(TimeSpan timeout, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? dll = null)
    {
        await using var silo = Start(arguments, environment, dll);
        try
        {
            await silo._process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The silo ({string.Join(' ', arguments)}) did not exit within {timeout.TotalSeconds:0} s. Output:\n{silo.Output}");
        }

        silo._process.WaitForExit(); // drains the output readers
        return (silo.ExitCode, silo.Output);
    }

    /// <summary>SIGKILL, as a card failure.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

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
