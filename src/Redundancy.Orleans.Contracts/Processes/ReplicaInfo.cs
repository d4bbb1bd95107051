namespace Redundancy.Orleans.Processes;

/// <summary>What a primary knows of one of its replicas.</summary>
[GenerateSerializer, Immutable]
public sealed record ReplicaInfo
{
    /// <summary>Replica index (0..k-1).</summary>
    [Id(0)] public int Index { get; set; }

    /// <summary>Card the replica lives on, when known.</summary>
    [Id(1)] public string? CardId { get; set; }

    /// <summary>The last sequence number the replica acknowledged.</summary>
    [Id(2)] public long AckedSeq { get; set; }

    /// <summary>True when the replica acknowledged the primary's current seq.</summary>
    [Id(3)] public bool InSync { get; set; }

    /// <summary>The last replication error, if the replica is not reachable.</summary>
    [Id(4)] public string? LastError { get; set; }
}
