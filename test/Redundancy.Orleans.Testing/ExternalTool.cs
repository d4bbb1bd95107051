using System.Diagnostics;

namespace Redundancy.Orleans.Testing;

/// <summary>Installed command-line tools the tests run (promtool, prometheus): found on PATH, run to exit.</summary>
public static class ExternalTool
{
    /// <summary>The executable on PATH, or null when it is not installed.</summary>
    public static string? Find(string name) => Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
        .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    /// <summary>Runs <paramref name="executable"/> until it exits (it must, within <paramref name="timeout"/>): exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string executable, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(' ', info.ArgumentList)} did not exit within {timeout.TotalSeconds:0} s.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
