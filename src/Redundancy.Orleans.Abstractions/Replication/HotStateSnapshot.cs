namespace Redundancy.Orleans.Replication;

/// <summary>
/// A full copy of hot state: <c>(Ballot, Seq)</c> names it — the ballot of the primary that wrote the data and the
/// sequence number of its last change. Within one ballot a seq names one state; a higher ballot's data supersedes a
/// lower one's whatever the seqs (I4).
/// </summary>
// Not [Immutable]: State is a live, mutable object; Orleans must copy it on local calls.
[GenerateSerializer]
public sealed record HotStateSnapshot<TState>(
    [property: Id(0)] long Ballot,
    [property: Id(1)] long Seq,
    [property: Id(2)] TState State,
    [property: Id(3)] bool Poisoned = false,
    [property: Id(4)] string? CardId = null)
{
    /// <summary>The identity of the replica copy that answered (changes when a replica starts empty).</summary>
    [Id(5)] public string? CopyId { get; init; }
}
