using System.Diagnostics;
using Redundancy.Orleans.Bench.Harness;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Routing;

namespace Redundancy.Orleans.Bench.Scenarios;

/// <summary>
/// Process crash to ready (restored and audited), seen by a caller: from the crash until the next call
/// returns. For the Redis baseline, "restored" means the state was read back from Redis.
/// </summary>
internal static class CrashRecoveryScenario
{
    public static async Task RunAsync(BenchChassis chassis, IReadOnlyList<Variant> variants, int[] sizes, int repetitions, Results results)
    {
        Console.WriteLine($"Crash to ready: sizes {string.Join("/", sizes)} routes, {repetitions} crashes per variant and size, interleaved");
        var loaded = variants.ToDictionary(v => v.Name, _ => 0);
        foreach (var size in sizes)
        {
            foreach (var v in variants)
            {
                var routes = WorkloadGenerator.Routes(100 + variants.ToList().IndexOf(v), size - loaded[v.Name], loaded[v.Name]);
                foreach (var chunk in routes.Chunk(1000))
                {
                    await v.UpdateAsync(chassis.Grains, v.ProcessName("crash"), new RouteUpdate { Announce = chunk });
                }

                loaded[v.Name] = size;
            }

            var samples = variants.ToDictionary(v => v.Name, _ => new List<double>());
            var server = variants.ToDictionary(v => v.Name, _ => new List<double>());
            for (var rep = 0; rep < repetitions; rep++)
            {
                foreach (var v in rep % 2 == 0 ? variants : variants.Reverse())
                {
                    var process = v.Process(chassis.Grains, v.ProcessName("crash"));
                    var sw = Stopwatch.StartNew();
                    await process.Crash();
                    await ChassisCalls.PingUntilRestoredAsync(process);
                    samples[v.Name].Add(sw.Elapsed.TotalMilliseconds);
                    var status = await process.GetStatus();
                    if (status.StateSize != size)
                    {
                        throw new InvalidOperationException($"{v.Name}: after the crash the process has {status.StateSize} routes, expected {size}.");
                    }

                    server[v.Name].Add(status.LastRestoreMs ?? double.NaN);
                }
            }

            foreach (var v in variants)
            {
                results.Add("crash to ready", v.Name, $"{size} routes", "ms", samples[v.Name]);
                results.Add("restore in process", v.Name, $"{size} routes", "ms", server[v.Name]);
            }

            // The physical limit: the snapshot's bytes copied between two processes over loopback.
            await LoopbackLimit.AddRowAsync(results, $"{size} routes", WorkloadGenerator.Routes(0, size), repetitions);
        }

        results.Ratios("crash to ready", Variant.Redis.Name, higherIsBetter: false);
        results.Ratios("restore in process", LoopbackLimit.Variant, higherIsBetter: true); // how many times the limit
    }
}
