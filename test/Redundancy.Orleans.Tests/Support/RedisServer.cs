using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Redundancy.Orleans.Tests.Support;

/// <summary>A real redis-server on a free loopback port, started and stopped by the test.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>The redis-server executable, or null when it is not installed.</summary>
    public static string? Executable { get; } = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
        .Select(dir => Path.Combine(dir, "redis-server")).FirstOrDefault(File.Exists);

    public static async Task<RedisServer> StartAsync()
    {
        var exe = Executable ?? throw new InvalidOperationException("redis-server is not installed: apt-get install redis-server (.ci/run installs it).");
        var port = FreePorts.One();
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(a);
        }

        var server = new RedisServer(Process.Start(info)!, port);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        await Eventually.WaitAsync(() => server.PingAsync(), ok => ok, TimeSpan.FromSeconds(20), $"redis-server on port {port} to answer PING");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task<bool> PingAsync()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("PING\r\n"));
        var buffer = new byte[16];
        var n = await stream.ReadAsync(buffer);
        return Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG", StringComparison.Ordinal);
    }
}

/// <summary>
/// A test that needs redis-server: skipped where it is not installed, except in CI (CI=true), where a
/// missing redis-server is a failure — .ci/run installs it, so these tests always run there.
/// </summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.Executable is null && Environment.GetEnvironmentVariable("CI") is not ("true" or "1"))
        {
            Skip = "redis-server is not installed (apt-get install redis-server); CI installs it and runs this test.";
        }
    }
}
