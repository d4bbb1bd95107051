using System.Collections.Concurrent;
using System.Reflection;
using Orleans.Timers;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Processes;

/// <summary>What the serving filter asks a grain's replicated state.</summary>
internal interface IServingGate
{
    /// <summary>Throws <see cref="RedundancyException"/> (not serving) unless the process may serve now.</summary>
    void EnsureServing();
}

/// <summary>
/// The control plane (the chassis manager) is a redundant process with its own settings (I7): replicated on any live
/// card, spares included; accepts writes it cannot protect; rebuilt from the cards when every copy was lost.
/// </summary>
internal interface IControlPlaneProcess
{
    /// <summary>Its definition (it is not in the process table).</summary>
    ProcessDefinition Definition { get; }
}

/// <summary>
/// Refuses a call to a grain with <see cref="ReplicatedStateAttribute"/> state while the process does not serve, before
/// the grain's method runs, so that no method has to check. Management calls (the <see cref="IRedundantProcess"/> extension)
/// and methods marked <see cref="AnswersWhileNotServingAttribute"/> pass.
/// </summary>
internal sealed class ServingFilter : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(Type Grain, MethodInfo Method), bool> _gated = new();

    public Task Invoke(IIncomingGrainCallContext context)
    {
        // Only calls on the grain's own interfaces are gated: not its management extension, not Orleans' extensions,
        // and not the grain's timer ticks (which reach the grain as calls too: gating them would stop the timer that
        // retries an unavailable restore).
        if (context.TargetContext.GrainInstance is { } grain
            && context.TargetContext.GetComponent<IServingGate>() is { } gate
            && _gated.GetOrAdd((grain.GetType(), context.InterfaceMethod), static (key, implementation) => Gated(key.Grain, key.Method, implementation), context.ImplementationMethod))
        {
            gate.EnsureServing();
        }

        return context.Invoke();
    }

    private static bool Gated(Type grain, MethodInfo method, MethodInfo? implementation) =>
        method.DeclaringType is { IsInterface: true } declaring
        && !typeof(IGrainExtension).IsAssignableFrom(declaring)
        && declaring.IsAssignableFrom(grain)
        && implementation?.IsDefined(typeof(AnswersWhileNotServingAttribute)) != true;
}
