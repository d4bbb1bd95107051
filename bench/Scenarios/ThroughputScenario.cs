using System.Diagnostics;
using Redundancy.Orleans.Bench.Harness;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Routing;

namespace Redundancy.Orleans.Bench.Scenarios;

/// <summary>Update throughput (routes/s) and latency per variant and batch size, variants interleaved.</summary>
internal static class ThroughputScenario
{
    public static async Task RunAsync(BenchChassis chassis, IReadOnlyList<Variant> variants, int[] batches, TimeSpan duration, int repetitions, Results results)
    {
        Console.WriteLine($"Update throughput: batches {string.Join("/", batches)}, {duration.TotalSeconds:0.#} s x {repetitions} per variant, interleaved");
        // Warm-up, not measured: JIT, connections and first activations would otherwise land on whichever variant runs first.
        foreach (var v in variants)
        {
            foreach (var batch in batches)
            {
                await MeasureAsync(chassis, v, batch, TimeSpan.FromMilliseconds(300), variants.ToList().IndexOf(v));
            }
        }

        var latency = new Dictionary<(string, int), List<double>>();
        var throughput = new Dictionary<(string, int), List<double>>();
        for (var rep = 0; rep < repetitions; rep++)
        {
            foreach (var batch in batches)
            {
                foreach (var v in rep % 2 == 0 ? variants : variants.Reverse())
                {
                    var (lat, rate) = await MeasureAsync(chassis, v, batch, duration, variants.ToList().IndexOf(v));
                    Get(latency, (v.Name, batch)).AddRange(lat);
                    Get(throughput, (v.Name, batch)).Add(rate);
                }
            }
        }

        foreach (var batch in batches)
        {
            foreach (var v in variants)
            {
                results.Add("throughput", v.Name, $"batch {batch}", "routes/s", throughput[(v.Name, batch)]);
                results.Add("update latency", v.Name, $"batch {batch}", "ms", latency[(v.Name, batch)]);
            }
        }

        results.Ratios("throughput", Variant.None.Name, higherIsBetter: true);
    }

    private static async Task<(List<double> Latencies, double RoutesPerSecond)> MeasureAsync(BenchChassis chassis, Variant v, int batch, TimeSpan duration, int index)
    {
        var process = v.ProcessName("1");
        var pool = WorkloadGenerator.Routes(index, 10_000);
        var latencies = new List<double>();
        var routes = 0;
        var total = Stopwatch.StartNew();
        for (var i = 0; total.Elapsed < duration; i++)
        {
            var offset = (i * batch) % (pool.Count - batch + 1);
            var update = new RouteUpdate { Announce = pool.Skip(offset).Take(batch).Select(r => r with { Metric = r.Metric + (i % 7) }).ToList() };
            var sw = Stopwatch.StartNew();
            await v.UpdateAsync(chassis.Grains, process, update);
            latencies.Add(sw.Elapsed.TotalMilliseconds);
            routes += batch;
        }

        return (latencies, routes / total.Elapsed.TotalSeconds);
    }

    private static List<double> Get(Dictionary<(string, int), List<double>> d, (string, int) key) =>
        d.TryGetValue(key, out var l) ? l : d[key] = [];
}
