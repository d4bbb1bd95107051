using System.Reflection;
using Orleans.Metadata;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Processes;

/// <summary>
/// Resolves process names to their management references. A process's kind in the process table is the grain type
/// of its grain class (<c>[GrainType("routing")]</c>), a class with a <see cref="ReplicatedStateAttribute"/> constructor
/// parameter (or, for a measurement baseline, one that implements <see cref="IRedundantProcess"/> itself).
/// </summary>
public sealed class ProcessDirectory
{
    private readonly IGrainFactory _grains;
    private readonly Lazy<IReadOnlyDictionary<string, Type>> _kinds;
    private readonly Lazy<IReadOnlyDictionary<string, int?>> _restorePriorities;

    internal ProcessDirectory(ProcessTable table, IGrainFactory grains, IClusterManifestProvider manifest, GrainClassMap classes)
    {
        Table = table;
        _grains = grains;
        _kinds = new(() => Discover(manifest, classes));
        _restorePriorities = new(() => _kinds.Value.ToDictionary(k => k.Key, k => k.Value.GetCustomAttribute<RestorePriorityAttribute>()?.Priority, StringComparer.Ordinal));
    }

    /// <summary>The table this directory reads.</summary>
    public ProcessTable Table { get; }

    /// <summary>The process kinds this silo knows: grain type names of redundant process grains.</summary>
    public IReadOnlyCollection<string> Kinds => (IReadOnlyCollection<string>)_kinds.Value.Keys;

    /// <summary>The management reference of a process; throws <see cref="RedundancyException"/> for an unknown one.</summary>
    public IRedundantProcess Get(string name) => Reference(name).AsReference<IRedundantProcess>();

    /// <summary>The grain of a process, to be cast to its application interface with <c>AsReference</c>.</summary>
    public IAddressable Reference(string name) => Resolve(name).Grain;

    /// <summary>A process's grain, its kind and the kind's grain class; throws <see cref="RedundancyException"/> for an unknown process or kind.</summary>
    private (IAddressable Grain, string Kind, Type Class) Resolve(string name)
    {
        var kind = Table.Get(name).Kind;
        return _kinds.Value.TryGetValue(kind, out var type)
            ? (_grains.GetGrain(GrainId.Create(kind, name)), kind, type)
            : throw new RedundancyException(RedundancyErrorKind.Unavailable,
                $"Process '{name}' has kind '{kind}', which is not the grain type of a redundant process grain here (known: {string.Join(", ", _kinds.Value.Keys.Order(StringComparer.Ordinal))}).");
    }

    /// <summary>
    /// A process's grain as its application interface; throws <see cref="RedundancyException"/> for an unknown process or
    /// one whose kind does not implement <typeparamref name="TProcess"/> (invalid input: the caller asked the wrong kind); a
    /// grain extension interface (<see cref="IRedundantProcess"/>) is every process's.
    /// </summary>
    public TProcess Get<TProcess>(string name)
        where TProcess : IAddressable
    {
        var (process, kind, type) = Resolve(name);
        // A grain extension (the management interface every process has) is installed, not implemented by the class.
        return typeof(IGrainExtension).IsAssignableFrom(typeof(TProcess)) || typeof(TProcess).IsAssignableFrom(type)
            ? process.AsReference<TProcess>()
            : throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"Process '{name}' (kind '{kind}') is not a {ProcessNoun(typeof(TProcess))}.");
    }

    /// <summary>How a refusal names an application interface: <c>IRoutingProcess</c> reads "routing process".</summary>
    private static string ProcessNoun(Type type)
    {
        var name = type.Name.StartsWith('I') && type.Name.Length > 1 && char.IsUpper(type.Name[1]) ? type.Name[1..] : type.Name;
        var words = System.Text.RegularExpressions.Regex.Replace(name, "(?<=[a-z0-9])(?=[A-Z])", " ").ToLowerInvariant();
        return words;
    }

    /// <summary>
    /// The state and delta types of a kind's <c>[ReplicatedState]</c> parameter; null for a kind that keeps none (a
    /// measurement baseline) or an unknown kind.
    /// </summary>
    internal (Type State, Type Delta)? StateTypes(string kind) =>
        _kinds.Value.TryGetValue(kind, out var type)
            ? ReplicatedStateParameters(type)
                .Where(p => p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(IReplicatedState<,>))
                .Select(p => ((Type State, Type Delta)?)(p.ParameterType.GenericTypeArguments[0], p.ParameterType.GenericTypeArguments[1]))
                .FirstOrDefault()
            : null;

    /// <summary>A kind's <see cref="RestorePriorityAttribute"/>, or null (none declared, or not a kind here); read once per kind.</summary>
    internal int? KindRestorePriority(string kind) => _restorePriorities.Value.GetValueOrDefault(kind);

    /// <summary>The <c>[Version]</c> of every versioned grain interface the process kinds of this silo implement, by interface name (U1).</summary>
    internal IReadOnlyDictionary<string, int> VersionedInterfaces() =>
        _kinds.Value.Values
            .SelectMany(t => t.GetInterfaces())
            .Select(i => (i.Name, Version: i.GetCustomAttribute<global::Orleans.CodeGeneration.VersionAttribute>()?.Version))
            .Where(i => i.Version is not null)
            .DistinctBy(i => i.Name)
            .ToDictionary(i => i.Name, i => (int)i.Version!.Value, StringComparer.Ordinal);

    /// <summary>The grain types of this silo's redundant process grains, by kind name.</summary>
    internal static IReadOnlyDictionary<string, Type> Discover(IClusterManifestProvider manifest, GrainClassMap classes) =>
        // Generic grain types (the replica grain) are never process kinds, and cannot be resolved without type arguments.
        manifest.LocalGrainManifest.Grains.Keys
            .Where(t => !GenericGrainType.TryParse(t, out _))
            .Select(t => classes.TryGetGrainClass(t, out var type) && IsProcessClass(type) ? (Kind: t.ToString()!, Type: type) : default)
            .Where(k => k.Type is not null)
            .ToDictionary(k => k.Kind, k => k.Type, StringComparer.Ordinal);

    private static bool IsProcessClass(Type type) =>
        typeof(IRedundantProcess).IsAssignableFrom(type) || ReplicatedStateParameters(type).Any();

    /// <summary>The constructor parameters of a grain class marked <see cref="ReplicatedStateAttribute"/>.</summary>
    private static IEnumerable<ParameterInfo> ReplicatedStateParameters(Type type) =>
        type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .SelectMany(c => c.GetParameters())
            .Where(p => p.IsDefined(typeof(ReplicatedStateAttribute)));
}

/// <summary>Refuses at start a process table entry whose kind is not the grain type of a redundant process grain in this silo.</summary>
internal sealed class ProcessKindValidator(IClusterManifestProvider manifest, GrainClassMap classes) : Microsoft.Extensions.Options.IValidateOptions<Configuration.RedundancyOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, Configuration.RedundancyOptions options)
    {
        var kinds = ProcessDirectory.Discover(manifest, classes);
        var errors = new List<string>();
        for (var i = 0; i < options.Processes.Count; i++)
        {
            var p = options.Processes[i];
            if (string.IsNullOrWhiteSpace(p.Kind))
            {
                continue; // RedundancyOptionsValidator says so
            }

            var at = $"{Configuration.RedundancyOptions.SectionName}:Processes:{i}:Kind '{p.Kind}' of process '{p.Name}'";
            if (!kinds.TryGetValue(p.Kind, out var type))
            {
                errors.Add($"{at} is not the grain type of a redundant process grain (one with a [ReplicatedState] constructor parameter); known: {string.Join(", ", kinds.Keys.Order(StringComparer.Ordinal))}.");
                continue;
            }

            // A primary must run on the card serving its slot and must not be collected when idle (the base class gave
            // both; a facet cannot): a grain class without them would restore on the wrong card, or again and again.
            var missing = new[] { (typeof(Placement.SlotPlacementAttribute), "[SlotPlacement]"), (typeof(KeepAliveAttribute), "[KeepAlive]") }
                .Where(a => !type.IsDefined(a.Item1, inherit: true))
                .Select(a => a.Item2)
                .ToList();
            if (missing.Count > 0)
            {
                errors.Add($"{at}: grain class '{type.FullName}' lacks {string.Join(" and ", missing)}.");
            }
        }

        return errors.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(errors);
    }
}
