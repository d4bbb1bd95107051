namespace Redundancy.Orleans.Routing;

/// <summary>
/// What loading a window of a synthetic table into a process did (<c>POST /api/processes/{name}/table</c>): every batch of
/// it acknowledged. Loading the same window again changes nothing (the same paths are announced again).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TableLoaded
{
    /// <summary>The process.</summary>
    [Id(0)] public string Process { get; set; } = "";

    /// <summary>Prefixes in the whole table.</summary>
    [Id(1)] public int Prefixes { get; set; }

    /// <summary>The table's seed.</summary>
    [Id(2)] public int Seed { get; set; }

    /// <summary>The first prefix of the window loaded.</summary>
    [Id(3)] public int From { get; set; }

    /// <summary>Prefixes loaded.</summary>
    [Id(4)] public int Count { get; set; }

    /// <summary>Paths announced (one to three per prefix).</summary>
    [Id(5)] public long Paths { get; set; }

    /// <summary>Batches committed.</summary>
    [Id(6)] public int Batches { get; set; }

    /// <summary>How well the last batch is protected.</summary>
    [Id(7)] public Replication.Protection Protection { get; set; }

    /// <summary>Time from the first batch to the last acknowledgement, in milliseconds.</summary>
    [Id(8)] public double ElapsedMs { get; set; }
}

/// <summary>The sizes of a synthetic table (<c>POST /api/processes/{name}/table</c>, <c>redundancy load-table</c>).</summary>
public static class SyntheticTableSizes
{
    /// <summary>The largest table: two million prefixes.</summary>
    public const int MaxPrefixes = 2_000_000;

    /// <summary>A full Internet table as the benchmark and the tests load it: 1,000,000 IPv4 and 250,000 IPv6 prefixes.</summary>
    public const int FullTable = 1_250_000;
}
