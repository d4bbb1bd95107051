namespace Redundancy.Orleans.Processes;

/// <summary>
/// Management surface every redundant process (primary) has: a grain extension the <c>[ReplicatedState]</c> facet installs,
/// reached with <c>grain.AsReference&lt;IRedundantProcess&gt;()</c> (or, by process name, through the runtime's process
/// directory); never part of an application's own grain interface.
/// </summary>
public interface IRedundantProcess : IGrainExtension
{
    /// <summary>Activates the process if needed (the card manager keeps its card's processes active).</summary>
    Task Ping();

    /// <summary>
    /// Status for the management plane. Interleaved: it only reads the activation's fields in one turn, so it answers
    /// while a commit or a restore awaits instead of queueing behind a busy (or slowed) process's writes.
    /// </summary>
    [global::Orleans.Concurrency.AlwaysInterleave]
    Task<ProcessStatus> GetStatus();

    /// <summary>
    /// What the primary holds now (ballot, seq and its state's fingerprint), for upgrade verification to compare a shadow
    /// restore with. Runs in the process's turn: the fingerprint is of the state at the seq it names.
    /// </summary>
    Task<Upgrade.StateFingerprint> GetFingerprint();

    /// <summary>
    /// Fault injection (M6): drops the in-memory state as a crash would and deactivates. With
    /// <paramref name="poison"/>, the replicated state is marked so that every restore crashes again
    /// (exercises the restart-intensity limit and quarantine).
    /// </summary>
    Task Crash(bool poison = false);

    /// <summary>
    /// Operator action: lifts a quarantine. The process restarts at once and restores from its replicas
    /// (if its state is still what crashes it, the restart-intensity limit quarantines it again).
    /// With <paramref name="rebuild"/> the process discards its replicated state instead and rebuilds it from its
    /// associated processes (the card's forwarding table and its peers); the audit report says what was rebuilt and from where.
    /// </summary>
    /// <exception cref="RedundancyException">The process is serving (NotServing: nothing to release).</exception>
    Task Release(bool rebuild = false);

    /// <summary>
    /// Planned switchover (U1): takes the chassis manager's newer slot map and, if the process no longer
    /// runs on the card serving its slot, hands over at once (flush, then migrate; the new activation
    /// restores from the replicas). Returns the card the process is moving to, or null when it stays.
    /// </summary>
    Task<string?> Handover(Chassis.SlotMap map);
}
