using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.Baselines;

namespace Redundancy.Orleans.Bench.Harness;

/// <summary>One way of running a routing process, measured side by side with the others.</summary>
internal sealed record Variant(string Name, string Kind, int? Replicas, string? Mode, string Description)
{
    public static readonly Variant None = new("none", "routing", 0, null, "no redundancy (upper bound; a crash loses the state)");
    public static readonly Variant Redis = new("redis", "routing-persistent", null, null, "Orleans persistent state on Redis (what a user would pick instead)");
    public static readonly Variant Sync = new("sync", "routing", null, "Synchronous", "hot-state replica, synchronous (k = 1)");
    public static readonly Variant Periodic = new("periodic", "routing", null, "Periodic", "hot-state replica, periodic flush every 100 ms (k = 1)");

    public string ProcessName(string suffix) => $"{Name}-{suffix}";

    public Task<UpdateResult> UpdateAsync(IClusterClient grains, string process, RouteUpdate update) =>
        Kind == "routing-persistent" ? grains.GetGrain<IPersistentRoutingProcess>(process).Update(update) : grains.GetGrain<IRoutingProcess>(process).Update(update);

    public IRedundantProcess Process(IClusterClient grains, string process) =>
        (Kind == "routing-persistent" ? (IAddressable)grains.GetGrain<IPersistentRoutingProcess>(process) : grains.GetGrain<IRoutingProcess>(process)).AsReference<IRedundantProcess>();
}
