namespace Redundancy.Orleans.Replication;

/// <summary>A full copy of hot state at <c>(Epoch, Seq)</c>.</summary>
// Not [Immutable]: State is a live, mutable object; Orleans must copy it on local calls.
[GenerateSerializer]
public sealed record HotStateSnapshot<TState>(
    [property: Id(0)] long Epoch,
    [property: Id(1)] long Seq,
    [property: Id(2)] TState State,
    [property: Id(3)] bool Poisoned = false,
    [property: Id(4)] string? CardId = null);
