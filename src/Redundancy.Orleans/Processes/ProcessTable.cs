using Microsoft.Extensions.Options;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Processes;

/// <summary>Which process runs in which slot, and of which kind (M1). Read-only view of the configured table.</summary>
public sealed class ProcessTable
{
    private readonly Dictionary<string, ProcessDefinition> _byName;

    /// <summary>Builds the table from validated options.</summary>
    public ProcessTable(IOptions<RedundancyOptions> options)
    {
        _byName = options.Value.Processes.ToDictionary(p => p.Name, StringComparer.Ordinal);
        All = options.Value.Processes.OrderBy(p => p.Slot).ThenBy(p => p.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every process, by slot then name.</summary>
    public IReadOnlyList<ProcessDefinition> All { get; }

    /// <summary>Finds a process definition.</summary>
    public bool TryGet(string name, out ProcessDefinition definition) => _byName.TryGetValue(name, out definition!);

    /// <summary>Finds a process definition or throws <see cref="RedundancyException"/> (unknown process).</summary>
    public ProcessDefinition Get(string name) =>
        _byName.TryGetValue(name, out var d)
            ? d
            : throw new RedundancyException(RedundancyErrorKind.UnknownProcess, $"Unknown process '{name}': the process table has {_byName.Count} processes ({string.Join(", ", _byName.Keys.Take(10))}{(_byName.Count > 10 ? ", ..." : "")}).");

    /// <summary>The processes assigned to a slot.</summary>
    public IEnumerable<ProcessDefinition> ForSlot(int slot) => All.Where(p => p.Slot == slot);
}
