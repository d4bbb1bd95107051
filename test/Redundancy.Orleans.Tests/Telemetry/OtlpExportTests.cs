using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Telemetry;

/// <summary>
/// The standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> alone turns OTLP export on, for all three signals: a real standalone
/// dashboard process (waiting for a chassis that is not there, which it logs) exports to a local OTLP/HTTP receiver.
/// </summary>
[Trait("Category", TestCategories.MultiProcess)]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task OtlpEndpointVariableAlone_ExportsMetricsTracesAndLogs()
    {
        var received = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var otlp = new Uri($"http://127.0.0.1:{FreePorts.One()}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(otlp.ToString());
        builder.Logging.ClearProviders();
        await using var receiver = builder.Build();
        // An empty protobuf body is a valid Export*ServiceResponse (nothing rejected).
        receiver.MapPost("/v1/{signal}", (string signal) =>
        {
            received.AddOrUpdate(signal, 1, (_, n) => n + 1);
            return Results.Bytes([], "application/x-protobuf");
        });
        await receiver.StartAsync();

        var url = new Uri($"http://127.0.0.1:{FreePorts.One()}");
        await using var dashboard = SiloProcess.Start(
            [$"--Dashboard:Url={url.ToString().TrimEnd('/')}", $"--Chassis:BasePort={FreePorts.Range(1)}", "--Chassis:ClusterId=otlp-test"],
            new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.ToString().TrimEnd('/'),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
            },
            RepoPaths.DashboardDll);

        // A request makes a server span; the chassis is not there, so the dashboard logs that it waits.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.WaitAsync(() => http.GetStringAsync(new Uri(url, "chassis/api/snapshot")), _ => true, TimeSpan.FromSeconds(60),
            "the dashboard to answer its snapshot", s => s);
        await Eventually.WaitAsync(() => Task.FromResult(received), r => r.ContainsKey("metrics") && r.ContainsKey("traces") && r.ContainsKey("logs"),
            TimeSpan.FromSeconds(60), "OTLP exports of metrics, traces and logs from the dashboard",
            r => $"received {string.Join(", ", r.Select(kv => $"{kv.Key}: {kv.Value}"))}; dashboard output:\n{Texts.Tail(dashboard.Output, 2000)}");
    }
}
