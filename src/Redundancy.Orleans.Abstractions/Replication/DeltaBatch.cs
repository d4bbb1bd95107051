namespace Redundancy.Orleans.Replication;

/// <summary>Consecutive deltas <c>FirstSeq .. FirstSeq + Deltas.Count - 1</c> from a primary of <c>Epoch</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record DeltaBatch<TDelta>(
    [property: Id(0)] long Epoch,
    [property: Id(1)] long FirstSeq,
    [property: Id(2)] IReadOnlyList<TDelta> Deltas)
{
    /// <summary>The sequence number of the last delta in the batch.</summary>
    public long LastSeq => FirstSeq + Deltas.Count - 1;
}
