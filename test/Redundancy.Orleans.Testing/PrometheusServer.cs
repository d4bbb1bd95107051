using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Redundancy.Orleans.Testing;

/// <summary>
/// A real Prometheus server (Debian package <c>prometheus</c>) on a free loopback port with a given configuration, its
/// storage in a fresh folder; queried through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string directory, Uri url)
    {
        _process = process;
        _directory = directory;
        Url = url;
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The prometheus executable, or null when it is not installed.</summary>
    public static string? Executable { get; } = ExternalTool.Find("prometheus");

    /// <summary>promtool (same package), or null when it is not installed.</summary>
    public static string? Promtool { get; } = ExternalTool.Find("promtool");

    /// <summary>Its web and API address.</summary>
    public Uri Url { get; }

    /// <summary>Starts it with <paramref name="configuration"/> (prometheus.yml text; relative rule files resolve against <paramref name="ruleDirectory"/>) and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(string configuration, string? ruleDirectory = null)
    {
        var exe = Executable ?? throw new InvalidOperationException("prometheus is not installed: apt-get install prometheus (.ci/run installs it).");
        var directory = Directory.CreateTempSubdirectory("redundancy-prometheus-").FullName;
        if (ruleDirectory is not null)
        {
            foreach (var file in Directory.GetFiles(ruleDirectory, "*.yml"))
            {
                File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
            }
        }

        var config = Path.Combine(directory, "prometheus-test.yml");
        await File.WriteAllTextAsync(config, configuration);
        var url = new Uri($"http://127.0.0.1:{FreePorts.One()}");
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var a in new[] { "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(directory, "data"), "--web.listen-address=" + url.Authority, "--log.level=warn" })
        {
            info.ArgumentList.Add(a);
        }

        var server = new PrometheusServer(Process.Start(info)!, directory, url);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            await Eventually.WaitAsync(async () => (await server._http.GetAsync("/-/ready")).IsSuccessStatusCode, ready => ready || server._process.HasExited,
                TimeSpan.FromSeconds(30), "prometheus to be ready");
            if (server._process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited {server._process.ExitCode} at start (configuration {config}).");
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>An instant query: each sample's labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql)));
        return doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => ((IReadOnlyDictionary<string, string>)r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal),
                double.Parse(r.GetProperty("value")[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>The scrape targets and their health (<c>/api/v1/targets</c>), as "job instance health lastError" lines.</summary>
    public async Task<IReadOnlyList<string>> TargetsAsync()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/targets"));
        return doc.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Select(t => $"{t.GetProperty("labels").GetProperty("job").GetString()} {t.GetProperty("labels").GetProperty("instance").GetString()} {t.GetProperty("health").GetString()} {t.GetProperty("lastError").GetString()}")
            .ToList();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
