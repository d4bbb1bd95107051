using Orleans.Placement;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Tests.Facet;

// A brand-new redundant grain type, as an application writes one: a hot state changed only by deltas, and a grain that
// takes it with [ReplicatedState]. Nothing else: no base class, no registration (its grain type is its process kind).

[GenerateSerializer]
public sealed record CounterDelta([property: Id(0)] string Key, [property: Id(1)] long Amount);

[GenerateSerializer]
public sealed class CounterState : IHotState<CounterDelta>, IVerifiableHotState
{
    [Id(0)]
    public Dictionary<string, long> Counters { get; set; } = new(StringComparer.Ordinal);

    public int Size => Counters.Count;

    // Optional: lets upgrade verification compare a shadow restore with the primary.
    public int LoadedSchema => 0;

    public string Fingerprint() => string.Join(";", Counters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));

    public void Apply(CounterDelta delta) => Counters[delta.Key] = Counters.GetValueOrDefault(delta.Key) + delta.Amount;
}

public interface ICounterProcess : IGrainWithStringKey
{
    Task<long> Add(string key, long amount);

    Task<Dictionary<string, long>> Read();
}

[GrainType(CounterProcessGrain.Kind)]
[RestorePriority(CounterProcessGrain.KindRestorePriority)]
[SlotPlacement]
[KeepAlive]
[Immovable]
internal sealed class CounterProcessGrain([ReplicatedState] IReplicatedState<CounterState, CounterDelta> counters) : Grain, ICounterProcess
{
    /// <summary>The kind's restore priority: its processes restore before those of a kind with the default (100).</summary>
    public const int KindRestorePriority = 20;

    public const string Kind = "counter";

    public async Task<long> Add(string key, long amount)
    {
        await counters.CommitAsync(new CounterDelta(key, amount));
        return counters.State.Counters[key];
    }

    public Task<Dictionary<string, long>> Read() => Task.FromResult(new Dictionary<string, long>(counters.State.Counters, StringComparer.Ordinal));
}

/// <summary>The same grain without the placement a primary needs: the process table refuses it at start.</summary>
[GrainType(Kind)]
internal sealed class UnplacedCounterGrain([ReplicatedState] IReplicatedState<CounterState, CounterDelta> counters) : Grain, IUnplacedCounter
{
    public const string Kind = "counter-unplaced";

    public Task<long> Read(string key) => Task.FromResult(counters.State.Counters.GetValueOrDefault(key));
}

public interface IUnplacedCounter : IGrainWithStringKey
{
    Task<long> Read(string key);
}
