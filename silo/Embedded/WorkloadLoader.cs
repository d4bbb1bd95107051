using System.Diagnostics;
using Polly.Timeout;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Routing;

namespace Redundancy.Orleans.Silo.Embedded;

/// <summary>
/// Loads the embedded chassis's start-up workload through the management API, batch by batch. A card fault during the
/// load never stops the chassis: batches are retried (<see cref="WorkloadRetry"/>), and what could not be loaded is
/// reported in the start-up status and on the console.
/// </summary>
internal sealed class WorkloadLoader(ChassisClient client, ChassisStartup startup)
{
    public const int BatchSize = 1000;

    public async Task LoadAsync(IReadOnlyList<string> processes, int routesPerProcess, CancellationToken ct)
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
            var routes = WorkloadGenerator.Routes(index, routesPerProcess);
            var loaded = 0;
            foreach (var batch in routes.Chunk(BatchSize))
            {
                try
                {
                    await pipeline.ExecuteAsync(async t => await client.UpdateAsync(name, new RouteUpdate { Announce = batch }, t), ct);
                    loaded += batch.Length;
                    startup.Loaded(batch.Length);
                }
                catch (Exception e) when (!ct.IsCancellationRequested && (e is TimeoutRejectedException || e is ChassisApiException || WorkloadRetry.IsTransient(e)))
                {
                    var why = e is TimeoutRejectedException ? $"still failing after {WorkloadRetry.BatchTimeout.TotalSeconds:0} s ({lastRetry})" : e.Message;
                    startup.Problem($"{name}: {loaded} of {routes.Count} routes loaded; {why}");
                    Console.Error.WriteLine($"  could not load {name}: {loaded} of {routes.Count} routes loaded; {why}");
                    break;
                }
            }

            if (loaded == routes.Count)
            {
                startup.ProcessLoaded();
                Console.WriteLine($"  loaded {routes.Count} routes into {name}");
            }
        }

        var done = startup.Finish();
        Console.WriteLine($"Workload: {done.EntriesLoaded} routes acknowledged in {watch.Elapsed.TotalSeconds:0.0} s"
            + (done.Retries > 0 ? $", {done.Retries} batch(es) retried while their process restarted or moved" : "")
            + (done.Problems.Count > 0 ? $"; not loaded: {string.Join("; ", done.Problems)}" : "") + ".");
    }
}
