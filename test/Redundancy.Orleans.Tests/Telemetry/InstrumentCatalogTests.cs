using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Monitoring.Telemetry;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Telemetry;

/// <summary>
/// One list of instruments (<see cref="Instruments"/>): what the runtime creates, what the Prometheus exporter calls
/// them, and the table in docs/telemetry.md all agree with it.
/// </summary>
[Trait("Category", TestCategories.Cluster)]
public sealed class InstrumentCatalogTests
{
    [Fact]
    public void Meter_CreatesExactlyTheCataloguedInstruments()
    {
        var created = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == TelemetryNames.Meter)
                {
                    lock (created)
                    {
                        created.Add(instrument);
                    }
                }
            },
        };
        listener.Start();
        using var meters = new TestMeters();
        _ = meters.Runtime();
        _ = new UpgradeCommitWaitGauge.CommitWaitInstrument(meters.Factory, TimeProvider.System);

        var actual = created.Select(i => $"{i.Name} {Kind(i)} {i.Unit}").Distinct().Order(StringComparer.Ordinal);
        var expected = Instruments.All.Select(d => $"{d.Name} {d.Kind} {d.Unit}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
        Assert.All(created.Where(i => Kind(i) == InstrumentKind.Histogram), h => Assert.Equal("s", h.Unit));
    }

    [Fact]
    public void TwoSilos_InOneProcess_KeepTheirOwnGauges()
    {
        // Each silo's host has its own meter factory; before, the gauges were static and every silo of a process
        // (an in-process test cluster) reported every other silo's processes as its own.
        using var first = new TestMeters();
        using var second = new TestMeters();
        var card1 = first.Runtime();
        var card2 = second.Runtime();
        card1.ReportProcess("bgp-1", lag: 3, isProtected: false);
        card2.ReportProcess("bgp-2", lag: 5, isProtected: true);
        card2.ReportProcess("bgp-3", lag: 7, isProtected: true);

        var lag = new List<(Meter Meter, string? Process, long Lag)>();
        var unprotected = new List<(Meter Meter, long Count)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                // Only these two factories' meters (a meter factory is its meters' scope): other tests' silos run in this process too.
                var ours = instrument.Meter.Scope == first.Factory || instrument.Meter.Scope == second.Factory;
                if (ours && instrument.Meter.Name == TelemetryNames.Meter && instrument.Name is var n && (n == Instruments.ReplicationLag.Name || n == Instruments.ProcessesUnprotected.Name))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == Instruments.ReplicationLag.Name)
            {
                lag.Add((instrument.Meter, tags.ToArray().Single(t => t.Key == TelemetryAttributes.Process).Value as string, value));
            }
            else
            {
                unprotected.Add((instrument.Meter, value));
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();

        // Two meters; each reports its own card's processes and nothing else.
        var byMeter = lag.GroupBy(l => l.Meter).Select(g => string.Join(",", g.Select(l => $"{l.Process}={l.Lag}").Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal);
        Assert.Equal(["bgp-1=3", "bgp-2=5,bgp-3=7"], byMeter);
        var unprotectedBgp1Meter = unprotected.Single(u => u.Meter == lag.Single(l => l.Process == "bgp-1").Meter);
        Assert.Equal(1, unprotectedBgp1Meter.Count);
        Assert.Equal(0, unprotected.Single(u => u.Meter != unprotectedBgp1Meter.Meter).Count);

        // A process that left one card leaves that card's gauge only.
        card2.ForgetProcess("bgp-2");
        lag.Clear();
        listener.RecordObservableInstruments();
        Assert.Equal(["bgp-1", "bgp-3"], lag.Select(l => l.Process).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PrometheusExporter_ServesEveryInstrumentUnderItsCataloguedNameAndLabels()
    {
        // Instruments shaped like the catalogue's (same name, unit, kind, attributes) on a meter of their own: the
        // exporter's naming rules, checked for every entry, without touching the product's static instruments.
        const string meterName = "Redundancy.Orleans.CatalogTest";
        using var meter = new Meter(meterName);
        var url = new Uri($"http://127.0.0.1:{FreePorts.One()}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url.ToString());
        builder.Logging.ClearProviders();
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(meterName).AddPrometheusExporter());
        await using var app = builder.Build();
        app.MapRedundancyMetrics(new TelemetryOptions());
        await app.StartAsync();

        // Recorded once the exporter listens (a measurement nobody listens to is dropped).
        foreach (var d in Instruments.All)
        {
            var tags = d.Attributes.Select(a => new KeyValuePair<string, object?>(a, "x")).ToArray();
            switch (d.Kind)
            {
                case InstrumentKind.Counter:
                    meter.CreateCounter<long>(d.Name, d.Unit, d.Description).Add(1, tags);
                    break;
                case InstrumentKind.Histogram:
                    meter.CreateHistogram(d.Name, d.Unit, d.Description, tags: null,
                        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Instruments.DurationBuckets }).Record(0.5, tags);
                    break;
                default:
                    meter.CreateObservableGauge(d.Name, () => new Measurement<long>(1, tags), d.Unit, d.Description);
                    break;
            }
        }

        using var http = new HttpClient();
        var scrape = await http.GetStringAsync(new Uri(url, "metrics"));

        var series = SeriesNames(scrape);
        // The alert rules compare with bucket boundaries by their text (le="5").
        Assert.Contains($"{Instruments.FailoverPhaseDuration.PrometheusName}_bucket{{", scrape);
        Assert.Matches($"{Instruments.FailoverPhaseDuration.PrometheusName}_bucket{{[^}}]*le=\"5\"", scrape);
        foreach (var d in Instruments.All)
        {
            foreach (var name in d.PrometheusSeries)
            {
                Assert.True(series.Contains(name), $"{d.Name} ({d.Kind}, {d.Unit}) is not served as {name}; served: {string.Join(", ", series.Where(s => s.StartsWith("redundancy_", StringComparison.Ordinal)))}");
            }

            foreach (var attribute in d.Attributes)
            {
                var label = InstrumentDefinition.PrometheusLabel(attribute);
                Assert.True(Regex.IsMatch(scrape, $"^{Regex.Escape(d.PrometheusSeries[0])}{{[^}}]*\\b{Regex.Escape(label)}=\"x\"", RegexOptions.Multiline),
                    $"{d.Name}'s attribute {attribute} is not the label {label}");
            }
        }
    }

    [Fact]
    public void TelemetryDoc_HasOneRowPerInstrument_WithItsUnitAndPrometheusName()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "telemetry.md"));
        var rows = doc.Split('\n').Where(l => l.StartsWith("| `redundancy.", StringComparison.Ordinal)).ToList();
        Assert.Equal(Instruments.All.Select(d => d.Name), rows.Select(r => r.Split('`')[1]));
        foreach (var d in Instruments.All)
        {
            var row = rows.Single(r => r.StartsWith($"| `{d.Name}` |", StringComparison.Ordinal));
            Assert.Contains($"| {d.Kind.ToString().ToLowerInvariant()} | `{d.Unit}` |", row);
            Assert.Contains($"`{d.PrometheusName}`", row);
            Assert.All(d.Attributes, a => Assert.Contains($"`{a}`", row));
        }

        Assert.Contains("(docs/telemetry.md)", File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")));
    }

    /// <summary>Metric names of a Prometheus text exposition (sample lines, not comments).</summary>
    internal static HashSet<string> SeriesNames(string exposition) =>
        exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => Regex.Match(l, "^[a-zA-Z_:][a-zA-Z0-9_:]*").Value).ToHashSet(StringComparer.Ordinal);

    private static InstrumentKind Kind(Instrument i) => i switch
    {
        Counter<long> => InstrumentKind.Counter,
        Histogram<double> => InstrumentKind.Histogram,
        _ when i.IsObservable => InstrumentKind.Gauge,
        _ => throw new InvalidOperationException($"{i.Name} is a {i.GetType().Name}: add its kind to the catalogue"),
    };
}
