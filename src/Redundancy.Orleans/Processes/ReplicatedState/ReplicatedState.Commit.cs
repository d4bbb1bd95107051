using Orleans.Timers;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Processes;

/// <summary>Changes, the serving gate and the background tick of a redundant process.</summary>
internal sealed partial class ReplicatedState<TState, TDelta>
{
    public async Task<CommitAnswer> CommitAsync(TDelta delta, long? atLeastSeq = null)
    {
        EnsureServing();
        CommitOutcome outcome;
        try
        {
            outcome = await _session!.CommitAsync(delta, d =>
            {
                State.Apply(d);
                _context.Faults.Hit(Name, Faults.CrashPoints.AfterApply);
            }, atLeastSeq);
            _context.Faults.Hit(Name, Faults.CrashPoints.AfterReplicaAck);
        }
        catch (RedundancyException e) when (e.Kind is RedundancyErrorKind.NotProtected or RedundancyErrorKind.OutcomeUnknown)
        {
            _context.Metrics.WriteNotProtected(Name, e.Kind == RedundancyErrorKind.NotProtected ? "refused" : "outcome_unknown");
            StopIfFenced();
            ReportGauges();
            throw;
        }

        StopIfFenced();
        ReportGauges();
        return new CommitAnswer(outcome.Seq, outcome.Replicas, outcome.Protection, outcome.FlushDeadline);
    }

    public Task WhenQuiescentAsync() =>
        _session is null || Settings.Has(ProtocolFlaws.EffectsBeforeProtection) ? Task.CompletedTask : _session.WhenQuiescentAsync();

    /// <summary>Throws unless the process may change state (ready, or auditing its own restore).</summary>
    public void EnsureServing()
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
            throw new RedundancyException(RedundancyErrorKind.NotServing, $"Process '{Name}' on card '{_context.CardId}' is fenced: {fenced}; nothing was changed.");
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
        if (await MoveTargetAsync(_context.Cards.ServingCards()) is { } target && await HandOverCheckAsync(target.Card.CardId) is null)
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
            _context.Metrics.ReportProcess(Name, session.Lag, session.Protected);
        }
    }

    private void StopServing(string reason)
    {
        _context.Metrics.ForgetProcess(Name);
        _state = ProcessState.Fenced;
        _reason = reason;
        Log.Fenced(_logger, Name, reason);
        Deactivate("fenced: " + reason);
    }

    private void Deactivate(string why) => _grain.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, why));
}
