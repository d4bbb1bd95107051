using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Processes;

/// <summary>
/// The restore priority of a process kind (on its grain class), 0..1000, lower first: where its processes come in a card's
/// restores when the process table gives them none (<see cref="ProcessDefinition.RestorePriority"/>). An interior gateway
/// protocol, say, before the BGP that resolves its next hops over it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RestorePriorityAttribute(int priority) : Attribute
{
    /// <summary>The priority, 0..1000.</summary>
    public int Priority { get; } = priority is >= 0 and <= 1000
        ? priority
        : throw new ArgumentOutOfRangeException(nameof(priority), $"A restore priority is 0..1000 (got {priority}).");
}

/// <summary>The order of a card's restores: by restore priority (the table's, else the kind's, else the default), then name (the table's order).</summary>
internal static class RestoreOrder
{
    public static IEnumerable<ProcessDefinition> Of(IEnumerable<ProcessDefinition> processes, Func<string, int?> kindPriority) =>
        processes.OrderBy(p => Priority(p, kindPriority)); // OrderBy is stable: equal priorities keep the table's order

    public static int Priority(ProcessDefinition process, Func<string, int?> kindPriority) =>
        process.RestorePriority ?? kindPriority(process.Kind) ?? ProcessDefinition.DefaultRestorePriority;
}
