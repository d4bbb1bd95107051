namespace Redundancy.Orleans.Replication;

/// <summary>How a replica answered a replication call.</summary>
public enum ReplicaOutcome
{
    /// <summary>Applied (or already held: idempotent by <c>(epoch, seq)</c>).</summary>
    Applied = 0,

    /// <summary>The replica is missing earlier changes: send a snapshot.</summary>
    NeedSnapshot = 1,

    /// <summary>The sender's epoch is older than one the replica has seen: the sender is no longer the primary.</summary>
    StaleEpoch = 2,
}

/// <summary>A replica's answer, with where it now stands.</summary>
[GenerateSerializer, Immutable]
public readonly record struct ReplicaAck(
    [property: Id(0)] ReplicaOutcome Outcome,
    [property: Id(1)] long Epoch,
    [property: Id(2)] long Seq,
    [property: Id(3)] string? CardId);
