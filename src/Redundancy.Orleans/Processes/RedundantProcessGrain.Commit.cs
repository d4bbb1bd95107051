using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Processes;

/// <summary>Changes and the background tick of a redundant process.</summary>
public abstract partial class RedundantProcessGrain<TState, TDelta>
{
    /// <summary>
    /// Applies a change to the hot state and replicates it (M2). Synchronous mode: returns once every member of the
    /// in-sync set applied it and the set has its minimum (<see cref="Protection.Protected"/>); a change that cannot
    /// be protected is refused before anything changes (<see cref="RedundancyErrorKind.NotProtected"/>) unless the process
    /// accepts unprotected writes (<see cref="Protection.Unprotected"/>); a change whose protection could not be confirmed
    /// after it was sent throws <see cref="RedundancyErrorKind.OutcomeUnknown"/>. Periodic mode: buffered,
    /// <see cref="Protection.UnprotectedUntilFlushed"/>. <paramref name="atLeastSeq"/> lets an audit jump the sequence.
    /// </summary>
    /// <exception cref="RedundancyException">Not serving, not protected, or outcome unknown.</exception>
    protected async Task<CommitAnswer> CommitAsync(TDelta delta, long? atLeastSeq = null)
    {
        EnsureServing();
        CommitOutcome outcome;
        try
        {
            outcome = await _session!.CommitAsync(delta, d =>
            {
                State.Apply(d);
                Context.Faults.Hit(Name, Faults.CrashPoints.AfterApply);
            }, atLeastSeq);
            Context.Faults.Hit(Name, Faults.CrashPoints.AfterReplicaAck);
        }
        catch (RedundancyException e) when (e.Kind is RedundancyErrorKind.NotProtected or RedundancyErrorKind.OutcomeUnknown)
        {
            RedundancyMetrics.WriteNotProtected(Name, e.Kind == RedundancyErrorKind.NotProtected ? "refused" : "outcome_unknown");
            StopIfFenced();
            ReportGauges();
            throw;
        }

        StopIfFenced();
        ReportGauges();
        return new CommitAnswer(outcome.Seq, outcome.Replicas, outcome.Protection, outcome.FlushDeadline);
    }

    /// <summary>Completes when no commit is in flight: background work reads the state at such a moment only (hole 10).</summary>
    protected Task WhenQuiescentAsync() =>
        _session is null || Settings.Has(ProtocolFlaws.EffectsBeforeProtection) ? Task.CompletedTask : _session.WhenQuiescentAsync();

    /// <summary>Throws unless the process may change state (ready, or auditing its own restore).</summary>
    protected void EnsureServing()
    {
        ThrowIfCrashed();
        if (_state is not (ProcessState.Ready or ProcessState.Auditing) || _session is null)
        {
            throw new RedundancyException(RedundancyErrorKind.NotServing,
                $"Process '{Name}' is {_state.ToString().ToLowerInvariant()}{(_reason is null ? "" : ": " + _reason)}; nothing was changed.");
        }

        if (_session.FencedBy is { } fenced)
        {
            StopServing(fenced);
            throw new RedundancyException(RedundancyErrorKind.NotServing, $"Process '{Name}' on card '{Context.CardId}' is fenced: {fenced}; nothing was changed.");
        }
    }

    private async Task TickAsync(CancellationToken ct)
    {
        if (_state != ProcessState.Ready || _session is null)
        {
            return;
        }

        await _session.MaintainAsync();
        if (StopIfFenced())
        {
            return;
        }

        ReportGauges();
        if (await MoveTargetAsync(Context.Cards.ServingCards()) is { } target && await HandOverCheckAsync(target.Card.CardId) is null)
        {
            MoveTo(target);
            return;
        }

        OnTick();
    }

    private bool StopIfFenced()
    {
        if (_session?.FencedBy is { } fenced && _state != ProcessState.Fenced)
        {
            StopServing(fenced);
            return true;
        }

        return false;
    }

    private void ReportGauges()
    {
        if (_session is { } session)
        {
            RedundancyMetrics.ReportProcess(Name, session.Lag, session.Protected);
        }
    }

    private void StopServing(string reason)
    {
        RedundancyMetrics.ForgetProcess(Name);
        _state = ProcessState.Fenced;
        _reason = reason;
        Log.Fenced(_logger, Name, reason);
        this.DeactivateOnIdle();
    }
}

/// <summary>What <c>CommitAsync</c> answers for an acknowledged change.</summary>
/// <param name="Seq">The change's sequence number.</param>
/// <param name="Replicas">How many replicas (not counting the primary) hold it, on distinct cards.</param>
/// <param name="Protection">How well it is protected.</param>
/// <param name="FlushDeadline">Periodic mode: when the next flush protects it.</param>
public readonly record struct CommitAnswer(long Seq, int Replicas, Protection Protection, DateTimeOffset? FlushDeadline);
