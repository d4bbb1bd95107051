namespace Redundancy.Orleans.Replication;

/// <summary>How a replica answered a replication call.</summary>
public enum ReplicaOutcome
{
    /// <summary>Applied (or already held: idempotent by <c>(ballot, seq)</c>).</summary>
    Applied = 0,

    /// <summary>The replica does not hold the history the change applies to: send a snapshot.</summary>
    NeedSnapshot = 1,

    /// <summary>The sender's ballot is lower than one the replica has promised: the sender is no longer the primary.</summary>
    StaleBallot = 2,
}

/// <summary>A replica's answer, with where its copy now stands.</summary>
[GenerateSerializer, Immutable]
public readonly record struct ReplicaAck(
    [property: Id(0)] ReplicaOutcome Outcome,
    [property: Id(1)] long Promised,
    [property: Id(2)] long Seq,
    [property: Id(3)] string? CardId)
{
    /// <summary>The ballot of the primary that wrote the copy's data.</summary>
    [Id(4)] public long DataBallot { get; init; }

    /// <summary>The identity of the copy: a replica that starts empty gets a new one; a moved replica keeps it.</summary>
    [Id(5)] public string? CopyId { get; init; }

    /// <summary>False for a replica that holds nothing (started empty and never filled).</summary>
    [Id(6)] public bool HasState { get; init; }

    /// <summary>True when the copy is marked as poison (fault injection).</summary>
    [Id(7)] public bool Poisoned { get; init; }
}
