using System.Diagnostics;
using Polly.Timeout;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Silo.Configuration;

namespace Redundancy.Orleans.Silo.Embedded;

/// <summary>
/// Loads the embedded chassis's start-up workload through the management API, batch by batch. A card fault during the
/// load never stops the chassis: batches are retried (<see cref="WorkloadRetry"/>), and what could not be loaded is
/// reported in the start-up status and on the console.
/// </summary>
internal sealed class WorkloadLoader(ChassisClient client, ChassisStartup startup)
{
    public const int BatchSize = 1000;

    /// <summary>Prefixes per request when the workload is a synthetic table.</summary>
    public const int TableWindow = 20_000;

    public async Task LoadAsync(IReadOnlyList<string> processes, int routesPerProcess, string workload, int seed, CancellationToken ct)
    {
        startup.Loading(processes.Count);
        var watch = Stopwatch.StartNew();
        string? lastRetry = null;
        var pipeline = WorkloadRetry.Create(e =>
        {
            startup.Retried();
            lastRetry = e?.Message;
        });
        for (var index = 0; index < processes.Count; index++)
        {
            var name = processes[index];

            // Each step is idempotent (the same routes announced again), so a step is retried whole.
            var steps = workload == Workloads.Table ? TableSteps(name, routesPerProcess, seed + index) : HostSteps(name, index, routesPerProcess);
            var loaded = 0;
            foreach (var (size, step) in steps)
            {
                try
                {
                    var entries = await pipeline.ExecuteAsync(async t => await step(t), ct);
                    loaded += size;
                    startup.Loaded(entries);
                }
                catch (Exception e) when (!ct.IsCancellationRequested && (e is TimeoutRejectedException || e is ChassisApiException || WorkloadRetry.IsTransient(e)))
                {
                    var why = e is TimeoutRejectedException ? $"still failing after {WorkloadRetry.BatchTimeout.TotalSeconds:0} s ({lastRetry})" : e.Message;
                    var unit = workload == Workloads.Table ? "prefixes" : "routes";
                    startup.Problem($"{name}: {loaded} of {routesPerProcess} {unit} loaded; {why}");
                    Console.Error.WriteLine($"  could not load {name}: {loaded} of {routesPerProcess} {unit} loaded; {why}");
                    break;
                }
            }

            if (loaded == routesPerProcess)
            {
                startup.ProcessLoaded();
                Console.WriteLine($"  loaded {routesPerProcess} {(workload == Workloads.Table ? $"prefixes of the synthetic table (seed {seed + index})" : "routes")} into {name}");
            }
        }

        var done = startup.Finish();
        Console.WriteLine($"Workload: {done.EntriesLoaded} routes acknowledged in {watch.Elapsed.TotalSeconds:0.0} s"
            + (done.Retries > 0 ? $", {done.Retries} batch(es) retried while their process restarted or moved" : "")
            + (done.Problems.Count > 0 ? $"; not loaded: {string.Join("; ", done.Problems)}" : "") + ".");
    }

    /// <summary>Host routes in batches of <see cref="BatchSize"/>: (routes, the call announcing them).</summary>
    private IEnumerable<(int Size, Func<CancellationToken, Task<long>> Step)> HostSteps(string name, int index, int count) =>
        WorkloadGenerator.Routes(index, count).Chunk(BatchSize).Select(batch =>
            (batch.Length, (Func<CancellationToken, Task<long>>)(async t => (await client.UpdateAsync(name, new RouteUpdate { Announce = batch }, t)).Announced)));

    /// <summary>A synthetic table in windows of <see cref="TableWindow"/> prefixes, generated on the server.</summary>
    private IEnumerable<(int Size, Func<CancellationToken, Task<long>> Step)> TableSteps(string name, int prefixes, int seed)
    {
        for (var from = 0; from < prefixes; from += TableWindow)
        {
            var (first, count) = (from, Math.Min(TableWindow, prefixes - from));
            yield return (count, async t => (await client.LoadTableAsync(name, prefixes, seed, first, count, t)).Paths);
        }
    }
}
