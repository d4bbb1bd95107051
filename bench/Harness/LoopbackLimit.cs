using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.State;

namespace Redundancy.Orleans.Bench.Harness;

/// <summary>
/// The physical limit of a restore (issue 15): the time to copy a snapshot's bytes from one process to another over
/// loopback TCP, the same bytes the restore receives (the routing state in the wire form written today, serialized by
/// Orleans). The other process is this benchmark started again as a sink (<see cref="SinkArgument"/>).
/// </summary>
internal static class LoopbackLimit
{
    public const string SinkArgument = "--loopback-sink";

    /// <summary>The variant name of the limit rows, next to the restores they bound.</summary>
    public const string Variant = "limit";

    /// <summary>The serialized size of a routing state holding <paramref name="routes"/>, as a restore receives it.</summary>
    public static long SnapshotBytes(IEnumerable<Route> routes)
    {
        var state = new RoutingState();
        foreach (var chunk in routes.Chunk(10_000))
        {
            state.Apply(new RoutingDelta { Announce = chunk });
        }

        using var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(RoutingState).Assembly)).BuildServiceProvider();
        return services.GetRequiredService<Serializer>().SerializeToArray(RoutingSchemas.Encode(state, RoutingBuild.SchemaMax)).LongLength;
    }

    /// <summary>
    /// The limit row of the restores of <paramref name="routes"/> (<paramref name="parameter"/> names them in the report):
    /// their snapshot's bytes copied <paramref name="repetitions"/> times, with a note of how many bytes.
    /// </summary>
    public static async Task AddRowAsync(Results results, string parameter, IEnumerable<Route> routes, int repetitions)
    {
        var bytes = SnapshotBytes(routes);
        results.Add("restore in process", Variant, parameter, "ms", await MeasureAsync(bytes, repetitions));
        results.Notes.Add($"The limit of {parameter} copies {bytes} bytes (the snapshot as a restore receives it) between two processes over loopback.");
    }

    /// <summary>Copies <paramref name="bytes"/> to a second process <paramref name="repetitions"/> times; the time of each, in ms.</summary>
    public static async Task<List<double>> MeasureAsync(long bytes, int repetitions)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var host = Environment.ProcessPath ?? "dotnet";
        var arguments = Path.GetFileNameWithoutExtension(host) == "dotnet" ? [Assembly.GetEntryAssembly()!.Location, SinkArgument, port.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            : new[] { SinkArgument, port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        using var sink = Process.Start(new ProcessStartInfo(host, arguments) { UseShellExecute = false })
            ?? throw new InvalidOperationException("The loopback sink process did not start.");
        using var connection = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(30));
        connection.NoDelay = true;
        var stream = connection.GetStream();
        var payload = new byte[1 << 20];
        Random.Shared.NextBytes(payload);
        var header = new byte[8];
        var ack = new byte[1];
        var samples = new List<double>();

        // One copy first, not counted: the connection's and the sink's first use (JIT, buffers) is not the limit.
        for (var rep = -1; rep < repetitions; rep++)
        {
            var sw = Stopwatch.StartNew();
            BinaryPrimitives.WriteInt64LittleEndian(header, bytes);
            await stream.WriteAsync(header);
            for (var left = bytes; left > 0; left -= payload.Length)
            {
                await stream.WriteAsync(payload.AsMemory(0, (int)Math.Min(payload.Length, left)));
            }

            await stream.ReadExactlyAsync(ack);
            if (rep >= 0)
            {
                samples.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        connection.Client.Shutdown(SocketShutdown.Send);
        await sink.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return samples;
    }

    /// <summary>The sink: reads length-prefixed payloads and answers one byte after each, until the sender closes.</summary>
    public static async Task<int> SinkAsync(int port)
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        var header = new byte[8];
        var buffer = new byte[1 << 20];
        while (await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false) == header.Length)
        {
            for (var left = BinaryPrimitives.ReadInt64LittleEndian(header); left > 0;)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)));
                if (read == 0)
                {
                    return 1;
                }

                left -= read;
            }

            await stream.WriteAsync(new byte[] { 1 });
        }

        return 0;
    }
}
