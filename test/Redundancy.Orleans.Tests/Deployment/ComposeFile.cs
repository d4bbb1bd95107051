using System.Diagnostics;
using Redundancy.Orleans.Testing;

namespace Redundancy.Orleans.Tests.Deployment;

/// <summary>
/// The repository's <c>docker-compose.yml</c> as <c>docker-compose config</c> resolves it (anchors merged,
/// variables substituted): each service's environment.
/// </summary>
public sealed class ComposeFile
{
    /// <summary>The API token the tests give the compose file (it requires one).</summary>
    public const string TestToken = "compose-test-token-0123456789";

    private ComposeFile(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> environment, string text)
    {
        Environment = environment;
        Text = text;
    }

    /// <summary>The docker-compose executable, or null when it is not installed.</summary>
    public static string? Executable { get; } = System.Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
        .Select(dir => Path.Combine(dir, "docker-compose")).FirstOrDefault(File.Exists);

    public static string PathName => System.IO.Path.Combine(RepoPaths.Root, "docker-compose.yml");

    /// <summary>Service name → its environment variables.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Environment { get; }

    /// <summary>The resolved file.</summary>
    public string Text { get; }

    /// <summary>Runs <c>docker-compose config</c> with <paramref name="arguments"/>: exit code and output.</summary>
    public static Task<(int Code, string Output)> RunAsync(params string[] arguments) => RunAsync(new Dictionary<string, string>(), arguments);

    /// <summary>Runs <c>docker-compose config</c> with <paramref name="arguments"/> and more environment variables: exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var exe = Executable ?? throw new InvalidOperationException("docker-compose is not installed: apt-get install docker-compose (.ci/run installs it).");
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
        foreach (var a in new[] { "-f", PathName, "config" }.Concat(arguments))
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["REDUNDANCY_API_TOKEN"] = TestToken;
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Resolves the compose file; throws with docker-compose's output when it is invalid.</summary>
    public static async Task<ComposeFile> LoadAsync()
    {
        var (code, output) = await RunAsync();
        return code == 0 ? Parse(output) : throw new InvalidOperationException($"docker-compose config failed ({code}):\n{output}");
    }

    // docker-compose config prints normalized YAML: "services:" at column 0, a service at 2 spaces,
    // "environment:" at 4, one "KEY: value" per variable at 6.
    private static ComposeFile Parse(string text)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        string? service = null;
        Dictionary<string, string>? environment = null;
        var inServices = false;
        foreach (var line in text.Split('\n'))
        {
            var indent = line.Length - line.TrimStart(' ').Length;
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (indent == 0)
            {
                inServices = trimmed == "services:";
                environment = null;
            }
            else if (inServices && indent == 2 && trimmed.EndsWith(':'))
            {
                service = trimmed[..^1];
                environment = null;
            }
            else if (inServices && indent == 4)
            {
                environment = trimmed == "environment:" && service is not null ? new Dictionary<string, string>(StringComparer.Ordinal) : null;
                if (environment is not null)
                {
                    result[service!] = environment;
                }
            }
            else if (environment is not null && indent == 6 && trimmed.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon)
            {
                environment[trimmed[..colon]] = trimmed[(colon + 2)..].Trim('\'', '"');
            }
        }

        return new ComposeFile(result, text);
    }
}
