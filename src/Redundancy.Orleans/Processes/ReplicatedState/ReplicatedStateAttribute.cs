using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Timers;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Processes;

/// <summary>
/// Marks a grain constructor parameter of type <see cref="IReplicatedState{TState, TDelta}"/>: the grain becomes a
/// redundant process whose hot state is replicated to other cards and restored after a crash or a card failure.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class ReplicatedStateAttribute : Attribute, IFacetMetadata;

/// <summary>Creates the <see cref="IReplicatedState{TState, TDelta}"/> facet for a parameter marked <see cref="ReplicatedStateAttribute"/>.</summary>
internal sealed class ReplicatedStateAttributeMapper : IAttributeToFactoryMapper<ReplicatedStateAttribute>
{
    public Factory<IGrainContext, object> GetFactory(ParameterInfo parameter, ReplicatedStateAttribute metadata)
    {
        var type = parameter.ParameterType;
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IReplicatedState<,>))
        {
            throw new ArgumentException(
                $"Parameter '{parameter.Name}' of the constructor of '{parameter.Member.DeclaringType}' has type '{type}', but [ReplicatedState] needs '{typeof(IReplicatedState<,>).Name}' with the state and delta types.",
                parameter.Name);
        }

        var implementation = typeof(ReplicatedState<,>).MakeGenericType(type.GetGenericArguments());
        var factory = ActivatorUtilities.CreateFactory(implementation, [typeof(IGrainContext)]);
        return context => factory(context.ActivationServices, [context]);
    }
}
