using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Redundancy.Orleans.Testing;

/// <summary>A real redis-server on a free loopback port, started and stopped by its owner.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>StackExchange.Redis connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>The redis-server executable, or null when it is not installed.</summary>
    public static string? Executable { get; } = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
        .Select(dir => Path.Combine(dir, "redis-server")).FirstOrDefault(File.Exists);

    /// <summary>Starts one and waits until it answers PING.</summary>
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
        var deadline = DateTime.UtcNow.AddSeconds(20);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!await server.PingAsync())
        {
            if (DateTime.UtcNow > deadline || !await timer.WaitForNextTickAsync())
            {
                await server.DisposeAsync();
                throw new TimeoutException($"redis-server on port {port} did not answer PING within 20 s.");
            }
        }

        return server;
    }

    /// <summary>Stops the server (SIGKILL, as an outage of the membership store); disposing it later is fine.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("PING\r\n"));
            var buffer = new byte[16];
            var n = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
