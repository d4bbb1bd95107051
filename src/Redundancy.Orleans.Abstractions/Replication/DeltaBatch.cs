namespace Redundancy.Orleans.Replication;

/// <summary>
/// Consecutive deltas <c>FirstSeq .. FirstSeq + Deltas.Count - 1</c> written by the primary of <c>Ballot</c> (I5).
/// A replica applies them only on top of data written in the same ballot, or on top of exactly
/// <c>(BaseBallot, BaseSeq)</c>: the copy the primary restored from.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DeltaBatch<TDelta>(
    [property: Id(0)] long Ballot,
    [property: Id(1)] long FirstSeq,
    [property: Id(2)] IReadOnlyList<TDelta> Deltas)
{
    /// <summary>The data ballot of the copy the primary restored from (its history before its own writes).</summary>
    [Id(3)] public long BaseBallot { get; init; }

    /// <summary>The seq of the copy the primary restored from.</summary>
    [Id(4)] public long BaseSeq { get; init; }

    /// <summary>The sequence number of the last delta in the batch.</summary>
    public long LastSeq => FirstSeq + Deltas.Count - 1;
}
