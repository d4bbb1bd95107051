namespace Redundancy.Orleans.Processes;

/// <summary>
/// Registers an application's process kind so that the runtime (card manager, status) can reach its
/// grains through <see cref="IRedundantProcess"/>. Applications add one with their builder extension.
/// </summary>
public sealed record ProcessKind(string Name, Func<IGrainFactory, string, IRedundantProcess> Resolve);

/// <summary>Resolves process names to grain references through the registered kinds.</summary>
public sealed class ProcessDirectory(ProcessTable table, IEnumerable<ProcessKind> kinds, IGrainFactory grains)
{
    private readonly Dictionary<string, ProcessKind> _kinds = kinds.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>The table this directory reads.</summary>
    public ProcessTable Table => table;

    /// <summary>The management reference of a process; throws <see cref="RedundancyException"/> for an unknown one.</summary>
    public IRedundantProcess Get(string name)
    {
        var definition = table.Get(name);
        return _kinds.TryGetValue(definition.Kind, out var kind)
            ? kind.Resolve(grains, name)
            : throw new RedundancyException(RedundancyErrorKind.Unavailable, $"Process '{name}' has kind '{definition.Kind}', which no application registered (known: {string.Join(", ", _kinds.Keys)}).");
    }
}
