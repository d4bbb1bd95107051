using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Placement;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Processes;

/// <summary>
/// Base class of a redundant process primary (M1, M2, M6–M8). On activation it restores the freshest
/// copy from its replicas on other cards, takes a new fencing epoch, audits the restored state against
/// its associated processes, and only then serves. Changes go through <see cref="CommitAsync"/>.
/// Derived classes must be placed with <see cref="SlotPlacementAttribute"/> (inherited here).
/// </summary>
/// <typeparam name="TState">The hot state.</typeparam>
/// <typeparam name="TDelta">The change operation.</typeparam>
[SlotPlacement]
[KeepAlive]
[Immovable]
public abstract partial class RedundantProcessGrain<TState, TDelta> : Grain, IRedundantProcess
    where TState : IHotState<TDelta>, new()
{
    private readonly ILogger _logger;
    private ReplicationSession<TState, TDelta>? _session;
    private ProcessState _state = ProcessState.Inactive;
    private string? _reason;
    private bool _crashed;
    private bool _moving;
    private AuditReport? _lastAudit;
    private double? _lastRestoreMs;
    private IDisposable? _flushTimer;

    /// <summary>Creates the grain with the runtime's services.</summary>
    protected RedundantProcessGrain(RedundancyContext context)
    {
        Context = context;
        _logger = context.Loggers.CreateLogger(GetType());
    }

    /// <summary>The runtime's services.</summary>
    protected RedundancyContext Context { get; }

    /// <summary>The process name (grain key).</summary>
    protected string Name => this.GetPrimaryKeyString();

    /// <summary>This process's table entry.</summary>
    protected ProcessDefinition Definition { get; private set; } = new();

    /// <summary>The hot state. Change it only through <see cref="CommitAsync"/>.</summary>
    protected TState State { get; private set; } = new();

    /// <summary>Sequence number of the last committed change.</summary>
    protected long Seq => _session?.Seq ?? 0;

    /// <summary>Fencing epoch of this activation.</summary>
    protected long Epoch => _session?.Epoch ?? 0;

    /// <summary>Life-cycle state.</summary>
    protected ProcessState LifecycleState => _state;

    /// <summary>The replication mode of this process (its own, or the chassis default).</summary>
    protected ReplicationMode Mode => Definition.Mode ?? Context.Options.Mode;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Definition = ResolveDefinition();
        using var span = RedundancyTelemetry.ActivitySource.StartActivity("restore");
        span?.SetTag("redundancy.process", Name);
        span?.SetTag("redundancy.card", Context.CardId);
        _state = ProcessState.Restoring;
        if (Context.Restarts.IsQuarantined(Name, out var why))
        {
            _state = ProcessState.Quarantined;
            _reason = why;
            return;
        }

        var replicas = Enumerable.Range(0, Definition.ReplicaCount ?? Context.Options.ReplicaCount)
            .Select(i => (IReplicaChannel<TState, TDelta>)new GrainReplicaChannel<TState, TDelta>(
                GrainFactory.GetGrain<IHotStateReplica<TState, TDelta>>(ReplicaKeys.Format(Name, i)), i, Context.Serializer))
            .ToArray();
        var answers = await Task.WhenAll(replicas.Select(TryGetSnapshotAsync));
        if (RestoreGuard.RefusalReason(Name, answers) is { } refusal)
        {
            throw new RedundancyException(RedundancyErrorKind.Unavailable, refusal);
        }

        var snapshots = answers.Select(a => a.Snapshot).ToArray();
        var freshest = ReplicationSession<TState, TDelta>.Freshest(snapshots);
        if (freshest?.Poisoned == true)
        {
            // The injected "poison" models a restored state that crashes the process (M6 restart intensity).
            throw new InvalidOperationException($"Process '{Name}' crashed while restoring: its replicated state is poisoned (injected fault).");
        }

        State = freshest is { Seq: > 0 } ? freshest.State : new TState();
        var epoch = snapshots.Select(s => s?.Epoch ?? 0).DefaultIfEmpty(0).Max() + 1;
        _session = new ReplicationSession<TState, TDelta>(replicas, Mode, () => State, epoch, freshest?.Seq ?? 0, Context.CardId, Context.Time,
            () => Context.Cards.ServingCards().Count(c => c.Card.CardId != Context.CardId),
            avoid => RendezvousRanking.Rank(Name, Context.Cards.ServingCards().Select(c => c.Card.CardId).Where(c => !avoid.Contains(c)), c => c).FirstOrDefault());
        await _session.FenceAllAsync();
        if (_session.FencedBy is { } fencedBy)
        {
            StopServing(fencedBy);
            return;
        }

        var restoreMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        _state = ProcessState.Auditing;
        var restoredSeq = _session.Seq;
        var auditStarted = Stopwatch.GetTimestamp();
        AuditReport report;
        using (var auditSpan = RedundancyTelemetry.ActivitySource.StartActivity("audit"))
        {
            auditSpan?.SetTag("redundancy.process", Name);
            report = await AuditAsync(cancellationToken);
            auditSpan?.SetTag("redundancy.audit.checked", report.Checked);
            auditSpan?.SetTag("redundancy.audit.repaired", report.Repaired);
        }
        _lastAudit = report with
        {
            DurationMs = Stopwatch.GetElapsedTime(auditStarted).TotalMilliseconds,
            RestoredSeq = restoredSeq,
            AuditedSeq = _session.Seq,
        };

        var interval = Mode == ReplicationMode.Periodic ? Context.Options.FlushInterval : Context.Options.ResyncInterval;
        _flushTimer = this.RegisterGrainTimer(FlushAsync, interval, interval);
        _state = ProcessState.Ready;
        _lastRestoreMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Log.Restored(_logger, Name, epoch, _session.Seq, freshest?.CardId ?? "nothing (fresh start)", _lastRestoreMs.Value,
            $"checked {report.Checked}, missing {report.Missing}, stale {report.Stale}, wrong {report.Wrong}, repaired {report.Repaired}");
        span?.SetTag("redundancy.epoch", epoch);
        span?.SetTag("redundancy.seq", _session.Seq);
        span?.SetTag("redundancy.restored_from", freshest?.CardId);
        RedundancyMetrics.Restored(Name, _lastRestoreMs.Value, _lastAudit);
        ReportGauges();
        OnReady(new ProcessReadyReport(Name, Definition.Slot, Context.CardId ?? "?", restoreMs, _lastAudit.DurationMs, Context.Time.GetUtcNow()));
        OnTick();
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _flushTimer?.Dispose();
        RedundancyMetrics.ForgetProcess(Name);
        if (_crashed)
        {
            return;
        }

        if (_state == ProcessState.Ready && _session is { PendingCount: > 0 })
        {
            await _session.FlushAsync();
        }

        // Anything but a shutdown of this card or a planned move (for example a grain-directory failure) is brought back at once.
        if (reason.ReasonCode != DeactivationReasonCode.ShuttingDown && _state != ProcessState.Fenced && !_moving)
        {
            Context.CardManager.RequestRestart(Name);
        }
    }

    /// <inheritdoc />
    public Task Ping()
    {
        ThrowIfCrashed();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ProcessStatus> GetStatus()
    {
        ThrowIfCrashed();
        return Task.FromResult(Status());
    }

    private ProcessStatus Status() => new()
    {
        Name = Name,
        Slot = Definition.Slot,
        CardId = Context.CardId,
        State = _state,
        Epoch = Epoch,
        Seq = Seq,
        StateSize = _state is ProcessState.Ready or ProcessState.Auditing ? State.Size : 0,
        Replicas = _session?.Describe() ?? [],
        LastAudit = _lastAudit,
        Restarts = Context.Restarts.Restarts(Name),
        Reason = _reason,
        LastRestoreMs = _lastRestoreMs,
        ReplicationMode = Mode.ToString(),
        Protected = _session?.Protected ?? false,
        UnprotectedSince = _session?.UnprotectedSince,
        LastUnprotectedMs = _session?.LastUnprotected?.TotalMilliseconds,
        TotalUnprotectedMs = _session?.TotalUnprotected.TotalMilliseconds ?? 0,
    };

    /// <summary>
    /// A crashed activation can still receive a call that was sent before Orleans took it out of service;
    /// it must not answer as if it were the process.
    /// </summary>
    private void ThrowIfCrashed()
    {
        if (_crashed)
        {
            throw new RedundancyException(RedundancyErrorKind.Restarting, $"Process '{Name}' is restarting after a crash; retry.");
        }
    }

    /// <inheritdoc />
    public async Task Crash(bool poison = false)
    {
        ThrowIfCrashed();
        if (poison && _session is not null)
        {
            await _session.FlushAsync();
            await _session.PoisonAllAsync();
        }

        Log.CrashInjected(_logger, Name, poison);
        Context.Restarts.RecordRestart(Name, poison ? "crash injected with poisoned state" : "crash injected");
        _crashed = true;
        RedundancyMetrics.ForgetProcess(Name);
        _state = ProcessState.Inactive;
        State = new TState(); // the memory of a crashed process is gone
        _session = null;
        this.DeactivateOnIdle();
        Context.CardManager.RequestRestart(Name);
    }

    /// <inheritdoc />
    public Task Release()
    {
        ThrowIfCrashed();
        if (_state != ProcessState.Quarantined)
        {
            throw new RedundancyException(RedundancyErrorKind.NotServing, $"Process '{Name}' is {_state.ToString().ToLowerInvariant()}, not quarantined; nothing to release.");
        }

        Context.Restarts.Release(Name);
        _crashed = true; // this activation holds no state: let the card manager bring up a fresh one that restores
        this.DeactivateOnIdle();
        Context.CardManager.RequestRestart(Name);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Reconciles the restored state with the associated processes (M8) before the process serves.
    /// May commit repairs through <see cref="CommitAsync"/>.
    /// </summary>
    protected abstract Task<AuditReport> AuditAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Adds what an audit found after the process became ready (associated processes that could not answer
    /// during the restore) to the last audit report.
    /// </summary>
    protected void AmendAudit(AuditReport later)
    {
        if (_lastAudit is not { } report)
        {
            return;
        }

        var findings = report.Findings.Where(f => later.Findings.All(l => l.Target != f.Target)).Concat(later.Findings).ToList();
        _lastAudit = report with
        {
            Checked = report.Checked + later.Checked,
            Missing = report.Missing + later.Missing,
            Stale = report.Stale + later.Stale,
            Wrong = report.Wrong + later.Wrong,
            Repaired = report.Repaired + later.Repaired,
            Findings = findings,
            AuditedSeq = Seq,
        };
    }

    /// <summary>This process's table entry; the chassis manager, which is not in the table, overrides it.</summary>
    protected virtual ProcessDefinition ResolveDefinition() => Context.Table.Get(Name);

    /// <summary>
    /// Called once when the process became ready after a restore. By default tells the chassis manager,
    /// which closes the timing of a failover with it (in the background: never delays serving).
    /// </summary>
    protected virtual void OnReady(ProcessReadyReport report) => ReportReadyAsync(report).Ignore();

    private async Task ReportReadyAsync(ProcessReadyReport report)
    {
        // The chassis manager may be moving or restoring right now (a switchover can move the slot it runs on):
        // it then refuses or does not answer. The report closes an event, so it is retried for a while rather
        // than lost; the chassis manager counts each process once.
        var manager = GrainFactory.GetGrain<IChassisManager>(IChassisManager.Key);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await manager.ReportReady(report);
                return;
            }
            catch (Exception e) when (attempt < 10 && e is not OutOfMemoryException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), Context.Time);
            }
        }
    }

    /// <summary>
    /// Called once the process is ready and then on every replication timer tick, on the grain's scheduler:
    /// a place for background work such as retrying peer advertisements.
    /// </summary>
    protected virtual void OnTick()
    {
    }

    /// <summary>
    /// Applies a change to the hot state and replicates it (M2). In synchronous mode this completes after
    /// every reachable replica applied it. Returns the change's sequence number.
    /// </summary>
    /// <exception cref="RedundancyException">The process is not serving (quarantined, fenced, restoring).</exception>
    protected async Task<long> CommitAsync(TDelta delta, long? atLeastSeq = null)
    {
        EnsureServing();
        State.Apply(delta);
        await _session!.CommitAsync(delta, atLeastSeq);
        if (_session.FencedBy is { } fencedBy)
        {
            StopServing(fencedBy);
            throw new RedundancyException(RedundancyErrorKind.NotServing, $"Process '{Name}' on card '{Context.CardId}' is fenced: {fencedBy}. The write was not acknowledged.");
        }

        ReportGauges();
        return _session.Seq;
    }

    /// <summary>Throws unless the process may change state (ready, or auditing its own restore).</summary>
    protected void EnsureServing()
    {
        ThrowIfCrashed();
        if (_state is not (ProcessState.Ready or ProcessState.Auditing) || _session is null)
        {
            throw new RedundancyException(RedundancyErrorKind.NotServing,
                $"Process '{Name}' is {_state.ToString().ToLowerInvariant()}{(_reason is null ? "" : ": " + _reason)}; nothing was changed.");
        }
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        if (_state != ProcessState.Ready || _session is null)
        {
            return;
        }

        // One view of the cards for the whole tick.
        var cards = Context.Cards.GetCards();
        var serving = CardDirectory.Serving(cards);
        _session.CheckReplicaCards(cards.Where(c => c.Card.Alive).Select(c => c.Card.CardId).ToHashSet(StringComparer.Ordinal).Contains);
        await _session.RelocateOffCardsAsync(serving.Select(c => c.Card.CardId).ToHashSet(StringComparer.Ordinal).Contains);
        await _session.FlushAsync();
        if (_session.FencedBy is { } fencedBy)
        {
            StopServing(fencedBy);
            return;
        }

        ReportGauges();
        if (await MoveTargetAsync(serving) is { } target)
        {
            MoveTo(target);
            return;
        }

        OnTick();
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

    private async Task<RestoreGuard.Answer<TState>> TryGetSnapshotAsync(IReplicaChannel<TState, TDelta> replica)
    {
        try
        {
            return new(await replica.GetSnapshot().WaitAsync(Context.Options.RestoreTimeout), false, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.RestoreReplicaFailed(_logger, Name, replica.Index, e.Message);
            return new(null, e is RedundancyException { Kind: RedundancyErrorKind.Unavailable }, $"replica {replica.Index}: {e.Message}");
        }
    }
}
