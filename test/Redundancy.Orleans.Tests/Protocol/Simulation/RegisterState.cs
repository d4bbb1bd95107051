using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Tests.Protocol.Simulation;

/// <summary>The simulator's hot state: registers (key → value). Tiny and generic, so the protocol is tested without the routing application.</summary>
internal sealed class RegisterState : IHotState<RegisterDelta>
{
    public Dictionary<int, long> Values { get; } = [];

    public int Size => Values.Count;

    public void Apply(RegisterDelta delta) => Values[delta.Key] = delta.Value;

    /// <summary>A deep copy, as serialisation would make on the wire.</summary>
    public RegisterState Clone()
    {
        var copy = new RegisterState();
        foreach (var (k, v) in Values)
        {
            copy.Values[k] = v;
        }

        return copy;
    }
}

/// <summary>One write: register <c>Key</c> takes <c>Value</c> (values are unique across a run).</summary>
internal sealed record RegisterDelta(int Key, long Value);
