namespace Redundancy.Orleans.Upgrade;

/// <summary>What a card's build is: version, hot-state schemas it reads and writes, grain interface versions.</summary>
[GenerateSerializer, Immutable]
public sealed record BuildInfo
{
    /// <summary>The card.</summary>
    [Id(0)] public string CardId { get; set; } = "";

    /// <summary>Software version.</summary>
    [Id(1)] public string Version { get; set; } = "";

    /// <summary>Oldest hot-state schema the build reads.</summary>
    [Id(2)] public int SchemaMin { get; set; }

    /// <summary>Newest hot-state schema the build reads and writes.</summary>
    [Id(3)] public int SchemaMax { get; set; }

    /// <summary>Grain interface → <c>[Version]</c> in this build.</summary>
    [Id(4)] public IReadOnlyDictionary<string, int> InterfaceVersions { get; set; } = new Dictionary<string, int>();
}
