namespace Redundancy.Orleans.Replication;

/// <summary>
/// Switches that bring back the replication protocol's old behaviours, one per hole the review found (issue 11). They
/// exist only so that the protocol simulator can show that its checker catches each hole; nothing in configuration
/// reaches them, and production code always runs with <see cref="None"/>.
/// </summary>
[Flags]
internal enum ProtocolFlaws
{
    /// <summary>The protocol as designed.</summary>
    None = 0,

    /// <summary>Hole 1: a commit succeeds whatever the replicas answered (failures swallowed, no minimum in-sync set).</summary>
    SwallowReplicaFailures = 1 << 0,

    /// <summary>Hole 2: a restore takes whichever replicas answer, members of the in-sync set or not.</summary>
    RestoreFromAnyReplica = 1 << 1,

    /// <summary>Hole 3: the freshest copy is the one with the highest seq, then the highest ballot.</summary>
    FreshestBySeqFirst = 1 << 2,

    /// <summary>Hole 3: a promise raises the copy's data ballot without touching its data.</summary>
    PromiseRestampsData = 1 << 3,

    /// <summary>
    /// Holes 4 and 6: a new activation takes the highest ballot its replicas answered plus one, not a unique ballot from
    /// the ledger: two activations restoring at once share a ballot (a replica then takes either one's writes, and skips
    /// one's delta as "already applied"), and an empty restore starts again at ballot 1.
    /// </summary>
    BallotFromReplicas = 1 << 4,

    /// <summary>Hole 9: a planned move hands over without checking that the in-sync set holds every change.</summary>
    MoveWithoutInSyncCheck = 1 << 6,

    /// <summary>Hole 10: background work (peer advertisements, forwarding-table programming) sees a change before it is protected.</summary>
    EffectsBeforeProtection = 1 << 7,
}
