using Orleans.Timers;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Processes;

/// <summary>
/// The replicated hot state of a redundant process (M1, M2, M6–M8), injected into a grain's constructor with
/// <see cref="ReplicatedStateAttribute"/> the way Orleans injects <c>[PersistentState]</c>. Before the grain serves,
/// the facet takes a unique ballot from the process ledger, restores the freshest copy its in-sync set holds (I4, I5)
/// and runs the grain's <see cref="IRestoreAudit"/>; changes go through <see cref="CommitAsync"/>, which answers how
/// well each is protected (I1, I2). Calls to the grain are refused while it does not serve (an incoming call filter), and
/// the facet installs the process's management (<see cref="IRedundantProcess"/>, reached with
/// <c>grain.AsReference&lt;IRedundantProcess&gt;()</c>) on the grain. The grain class must carry
/// <see cref="Placement.SlotPlacementAttribute"/>; its grain type name is the process kind in the process table.
/// </summary>
/// <typeparam name="TState">The hot state.</typeparam>
/// <typeparam name="TDelta">The change operation.</typeparam>
public interface IReplicatedState<TState, TDelta>
    where TState : IHotState<TDelta>, new()
{
    /// <summary>The process name (the grain key).</summary>
    string Name { get; }

    /// <summary>This process's table entry.</summary>
    ProcessDefinition Definition { get; }

    /// <summary>The hot state. Change it only through <see cref="CommitAsync"/>.</summary>
    TState State { get; }

    /// <summary>Sequence number of the last committed change.</summary>
    long Seq { get; }

    /// <summary>This activation's ballot (shown as the epoch): unique, higher than every earlier activation's (I5).</summary>
    long Epoch { get; }

    /// <summary>
    /// Changes up to this seq may be shown outside the primary (forwarding table, peers): in synchronous mode only
    /// protected ones, so that nothing outside ever holds a change no replica holds (I2).
    /// </summary>
    long VisibleSeq { get; }

    /// <summary>The ballot of the data the process holds (its restored copy's until it writes): tell associated processes this with the seq.</summary>
    long DataBallot { get; }

    /// <summary>The ballot and seq of the copy this activation restored from (what its audit compares associated views with).</summary>
    (long Ballot, long Seq) RestoredCopy { get; }

    /// <summary>True for a process that never held anything (a new chassis): nothing to audit against peers.</summary>
    bool NewProcess { get; }

    /// <summary>Life-cycle state.</summary>
    ProcessState LifecycleState { get; }

    /// <summary>The replication mode of this process (its own, or the chassis default; the control plane is synchronous).</summary>
    ReplicationMode Mode { get; }

    /// <summary>What this process does with a write it cannot protect.</summary>
    DurabilityMode Durability { get; }

    /// <summary>
    /// Set while an activation that started empty because an operator asked for a rebuild (or the control plane rebuilds
    /// itself) audits: the audit rebuilds the state from the associated processes instead of checking it against them.
    /// </summary>
    string? RebuildReason { get; }

    /// <summary>
    /// Applies a change to the hot state and replicates it (M2). Synchronous mode: returns once every member of the
    /// in-sync set applied it and the set has its minimum (<see cref="Protection.Protected"/>); a change that cannot
    /// be protected is refused before anything changes (<see cref="RedundancyErrorKind.NotProtected"/>) unless the process
    /// accepts unprotected writes (<see cref="Protection.Unprotected"/>); a change whose protection could not be confirmed
    /// after it was sent throws <see cref="RedundancyErrorKind.OutcomeUnknown"/>. Periodic mode: buffered,
    /// <see cref="Protection.UnprotectedUntilFlushed"/>. <paramref name="atLeastSeq"/> lets an audit jump the sequence.
    /// </summary>
    /// <exception cref="RedundancyException">Not serving, not protected, or outcome unknown.</exception>
    Task<CommitAnswer> CommitAsync(TDelta delta, long? atLeastSeq = null);

    /// <summary>Completes when no commit is in flight: background work reads the state at such a moment only (hole 10).</summary>
    Task WhenQuiescentAsync();

    /// <summary>
    /// Adds what an audit found after the process became ready (associated processes that could not answer
    /// during the restore) to the last audit report.
    /// </summary>
    void AmendAudit(AuditReport later);
}

/// <summary>
/// Implemented by a grain with <see cref="ReplicatedStateAttribute"/> state that has associated processes (M8): reconciles
/// the restored state with them before the process serves. May commit repairs through
/// <see cref="IReplicatedState{TState, TDelta}.CommitAsync"/>. In synchronous mode, finding acknowledged changes there that
/// the restored state lacks is a protocol violation (I6): report it in <see cref="AuditReport.Violations"/>, never hide
/// it as a repair. A grain without it serves right after the restore.
/// </summary>
public interface IRestoreAudit
{
    /// <summary>Audits the restored state (the process is <see cref="ProcessState.Auditing"/>).</summary>
    Task<AuditReport> AuditAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Implemented by a grain with <see cref="ReplicatedStateAttribute"/> state that has background work (retrying peer
/// advertisements): called once the process is ready and then on every replication maintenance tick, on the grain's scheduler.
/// </summary>
public interface IProcessTick
{
    /// <summary>One tick.</summary>
    void OnTick();
}

/// <summary>
/// Marks a grain method that answers while the process does not serve (restoring, unavailable, quarantined, fenced):
/// one that reads something other than the replicated state, such as the card's forwarding table.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class AnswersWhileNotServingAttribute : Attribute;

/// <summary>What <see cref="IReplicatedState{TState, TDelta}.CommitAsync"/> answers for an acknowledged change.</summary>
/// <param name="Seq">The change's sequence number.</param>
/// <param name="Replicas">How many replicas (not counting the primary) hold it, on distinct cards.</param>
/// <param name="Protection">How well it is protected.</param>
/// <param name="FlushDeadline">Periodic mode: when the next flush protects it.</param>
public readonly record struct CommitAnswer(long Seq, int Replicas, Protection Protection, DateTimeOffset? FlushDeadline);
