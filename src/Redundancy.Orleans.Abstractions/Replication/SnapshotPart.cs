namespace Redundancy.Orleans.Replication;

/// <summary>
/// One chunk of a snapshot a primary installs on an observer (<see cref="IHotStateObserver{TState, TDelta}.InstallPart"/>):
/// bytes <c>[Offset, Offset + Bytes.Length)</c> of the serialized <see cref="HotStateSnapshot{TState}"/> of
/// <see cref="Total"/> bytes. The chunks of one transfer arrive in order; the copy changes only when the last one has.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SnapshotPart(
    [property: Id(0)] Guid Transfer,
    [property: Id(1)] long Ballot,
    [property: Id(2)] int Offset,
    [property: Id(3)] int Total,
    [property: Id(4)] byte[] Bytes)
{
    /// <summary>True for the chunk that completes the transfer.</summary>
    public bool Completes => Offset + Bytes.Length == Total;
}
