using System.Runtime.CompilerServices;
using Redundancy.Orleans.Bench.Harness;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.State;

namespace Redundancy.Orleans.Bench.Scenarios;

/// <summary>
/// Managed memory retained per route by the hot state (every string its own object, as after
/// deserialization). A replica holds the same structure as its primary, so the figure applies to both;
/// the primary's card also holds one forwarding-table entry per best path.
/// </summary>
internal static class MemoryScenario
{
    public static void Run(int routes, int repetitions, Results results) =>
        Measure($"{routes} routes", WorkloadGenerator.Routes(0, routes), repetitions, results);

    /// <summary>The same for a synthetic Internet table: per path, with the real prefix-length mix and shared next hops.</summary>
    public static void RunTable(int prefixes, int repetitions, Results results)
    {
        var pool = Redundancy.Orleans.Routing.Workload.SyntheticTable.Routes(seed: 1, prefixes).ToList();
        Measure($"synthetic table, {prefixes} prefixes ({pool.Count} paths)", pool, repetitions, results);
    }

    private static void Measure(string parameter, IReadOnlyList<Route> pool, int repetitions, Results results)
    {
        Console.WriteLine($"Memory per route: {parameter}, {repetitions} repetitions");
        var perRoute = new List<double>();
        for (var rep = 0; rep < repetitions; rep++)
        {
            perRoute.Add(RetainedBytes(pool) / (double)pool.Count);
        }

        results.Add("memory per route", "primary or replica", parameter, "bytes", perRoute);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long RetainedBytes(IReadOnlyList<Route> pool)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var state = Fill(pool);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(state);
        return after - before;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RoutingState Fill(IReadOnlyList<Route> pool)
    {
        var state = new RoutingState();
        foreach (var chunk in pool.Chunk(1000))
        {
            state.Apply(new RoutingDelta { Announce = chunk.Select(r => r with { Prefix = new string(r.Prefix), NextHop = new string(r.NextHop), Origin = new string(r.Origin) }).ToList() });
        }

        return state;
    }
}
