namespace Redundancy.Orleans.Upgrade;

/// <summary>The outcome of one shadow restore.</summary>
[GenerateSerializer, Immutable]
public sealed record ShadowRestoreReport
{
    /// <summary>Process.</summary>
    [Id(0)] public string Process { get; set; } = "";

    /// <summary>The card that ran it.</summary>
    [Id(1)] public string CardId { get; set; } = "";

    /// <summary>True when the state decoded and matched the primary (or could not be compared because it moved on).</summary>
    [Id(2)] public bool Ok { get; set; }

    /// <summary>Seq of the snapshot restored.</summary>
    [Id(3)] public long Seq { get; set; }

    /// <summary>Entries in the restored state (its <c>IHotState.Size</c>: paths, for a routing process).</summary>
    [Id(4)] public int Entries { get; set; }

    /// <summary>Schema the snapshot was written in.</summary>
    [Id(5)] public int Schema { get; set; }

    /// <summary>Time to fetch and decode.</summary>
    [Id(6)] public double DecodeMs { get; set; }

    /// <summary>True/false: compared with the primary at the same seq; null: the primary moved on meanwhile.</summary>
    [Id(7)] public bool? MatchesPrimary { get; set; }

    /// <summary>Why it failed.</summary>
    [Id(8)] public string? Error { get; set; }
}
