namespace Redundancy.Orleans.Upgrade;

/// <summary>
/// Verification of a build before it touches service (U1): runs on the card named by its key (an upgraded
/// spare) and restores a process's current replicated state in shadow — fetch, decode, convert, compare with
/// the primary — without taking the process over.
/// </summary>
public interface IShadowRestoreProbe : IGrainWithStringKey
{
    /// <summary>The build of the card this probe runs on.</summary>
    Task<BuildInfo> GetBuild();

    /// <summary>Restores <paramref name="process"/> in shadow on this card.</summary>
    Task<ShadowRestoreReport> Restore(string process);
}

/// <summary>What a card's build is: version, hot-state schemas it reads and writes, grain interface versions.</summary>
[GenerateSerializer, Immutable]
public sealed record BuildInfo
{
    /// <summary>The card.</summary>
    [Id(0)] public string CardId { get; init; } = "";

    /// <summary>Software version.</summary>
    [Id(1)] public string Version { get; init; } = "";

    /// <summary>Oldest hot-state schema the build reads.</summary>
    [Id(2)] public int SchemaMin { get; init; }

    /// <summary>Newest hot-state schema the build reads and writes.</summary>
    [Id(3)] public int SchemaMax { get; init; }

    /// <summary>Grain interface → <c>[Version]</c> in this build.</summary>
    [Id(4)] public IReadOnlyDictionary<string, int> InterfaceVersions { get; init; } = new Dictionary<string, int>();
}

/// <summary>The outcome of one shadow restore.</summary>
[GenerateSerializer, Immutable]
public sealed record ShadowRestoreReport
{
    /// <summary>Process.</summary>
    [Id(0)] public string Process { get; init; } = "";

    /// <summary>The card that ran it.</summary>
    [Id(1)] public string CardId { get; init; } = "";

    /// <summary>True when the state decoded and matched the primary (or could not be compared because it moved on).</summary>
    [Id(2)] public bool Ok { get; init; }

    /// <summary>Seq of the snapshot restored.</summary>
    [Id(3)] public long Seq { get; init; }

    /// <summary>Paths restored.</summary>
    [Id(4)] public int Routes { get; init; }

    /// <summary>Schema the snapshot was written in.</summary>
    [Id(5)] public int Schema { get; init; }

    /// <summary>Time to fetch and decode.</summary>
    [Id(6)] public double DecodeMs { get; init; }

    /// <summary>True/false: compared with the primary at the same seq; null: the primary moved on meanwhile.</summary>
    [Id(7)] public bool? MatchesPrimary { get; init; }

    /// <summary>Why it failed.</summary>
    [Id(8)] public string? Error { get; init; }
}
