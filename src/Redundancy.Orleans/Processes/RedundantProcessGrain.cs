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
using Redundancy.Orleans.Replication.Ledger;

namespace Redundancy.Orleans.Processes;

/// <summary>
/// Base class of a redundant process primary (M1, M2, M6–M8). On activation it takes a unique ballot from the process
/// ledger, restores the freshest copy held by its in-sync set (I4, I5), audits the restored state against its associated
/// processes, and only then serves. Changes go through <see cref="CommitAsync"/>, which answers how well each is
/// protected (I1, I2). A process whose in-sync copies cannot be reached stays <see cref="ProcessState.Unavailable"/>
/// and keeps trying, rather than start without them. Derived classes must be placed with <see cref="SlotPlacementAttribute"/> (inherited here).
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
    private IDisposable? _timer;
    private IDisposable? _flushTimer;
    private IReplicaChannel<TState, TDelta>[] _replicas = [];
    private long _started;

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

    /// <summary>This activation's ballot (shown as the epoch): unique, higher than every earlier activation's (I5).</summary>
    protected long Epoch => _session?.Ballot ?? 0;

    /// <summary>
    /// Changes up to this seq may be shown outside the primary (forwarding table, peers): in synchronous mode only
    /// protected ones, so that nothing outside ever holds a change no replica holds (I2).
    /// </summary>
    protected long VisibleSeq => _session?.VisibleSeq ?? 0;

    /// <summary>The ballot of the data the process holds (its restored copy's until it writes): tell associated processes this with the seq.</summary>
    protected long DataBallot => _session?.DataBallot ?? 0;

    /// <summary>The ballot and seq of the copy this activation restored from (what its audit compares associated views with).</summary>
    protected (long Ballot, long Seq) RestoredCopy => _session is { } s ? (s.BaseBallot, s.BaseSeq) : (0, 0);

    /// <summary>True for a process that never held anything (a new chassis): nothing to audit against peers.</summary>
    protected bool NewProcess => _session is { InSync.Version: 0, Seq: 0 } && RebuildReason is null;

    /// <summary>Life-cycle state.</summary>
    protected ProcessState LifecycleState => _state;

    /// <summary>The replication mode of this process (its own, or the chassis default; the control plane is synchronous).</summary>
    protected ReplicationMode Mode => Settings.Mode;

    /// <summary>What this process does with a write it cannot protect.</summary>
    protected DurabilityMode Durability => Settings.Durability;

    /// <summary>
    /// Set when this activation started empty because an operator asked for a rebuild (or the control plane rebuilds
    /// itself): the audit rebuilds the state from the associated processes instead of checking it against them.
    /// </summary>
    protected string? RebuildReason { get; private set; }

    /// <summary>The protocol settings of this process.</summary>
    internal ReplicationSettings Settings { get; private set; } = new();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _started = Stopwatch.GetTimestamp();
        Definition = ResolveDefinition();
        Settings = Context.SettingsFor(Definition, ControlPlane);
        _state = ProcessState.Restoring;
        if (Context.Restarts.IsQuarantined(Name, out var why))
        {
            _state = ProcessState.Quarantined;
            _reason = why;
            return;
        }

        _replicas = Enumerable.Range(0, Settings.ReplicaCount)
            .Select(i => (IReplicaChannel<TState, TDelta>)new GrainReplicaChannel<TState, TDelta>(
                GrainFactory.GetGrain<IHotStateReplica<TState, TDelta>>(ReplicaKeys.Format(Name, i)), i, Context.Serializer))
            .ToArray();
        await RestoreAndServeAsync(cancellationToken);
    }

    /// <summary>Restore, audit, ready; or <see cref="ProcessState.Unavailable"/> with a retry timer when no in-sync copy answers.</summary>
    private async Task RestoreAndServeAsync(CancellationToken cancellationToken)
    {
        using var span = RedundancyTelemetry.ActivitySource.StartActivity("restore");
        span?.SetTag("redundancy.process", Name);
        span?.SetTag("redundancy.card", Context.CardId);
        var ledger = new GrainLedgerClient(GrainFactory.GetGrain<IProcessLedger>(Name));
        var restorer = new Restorer<TState, TDelta>(Name, Settings, _replicas, ledger, CardView(), Context.Time);
        RestoreResult<TState> restored;
        try
        {
            restored = await restorer.RestoreAsync();
        }
        catch (RedundancyException e) when (e.Kind == RedundancyErrorKind.Unavailable)
        {
            if (ControlPlane)
            {
                // I7: the control plane never refuses forever; it rebuilds itself from the cards and membership.
                await GrainFactory.GetGrain<IProcessLedger>(Name).RequestRebuild("every copy of the control plane was lost: " + e.Message);
                restored = await new Restorer<TState, TDelta>(Name, Settings, _replicas, ledger, CardView(), Context.Time).RestoreAsync();
            }
            else
            {
                BecomeUnavailable(e.Message);
                return;
            }
        }

        _timer?.Dispose();
        var restoreMs = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
        if (restored.Poisoned)
        {
            throw new InvalidOperationException($"Process '{Name}' crashed while restoring: its replicated state is poisoned (injected fault).");
        }

        State = restored.State;
        RebuildReason = restored.RebuildReason;
        _session = new ReplicationSession<TState, TDelta>(Settings, restored, () => State, _replicas, ledger, CardView, Context.Time);
        _state = ProcessState.Auditing;
        _reason = null;
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
        if (_lastAudit.Violations > 0)
        {
            Log.ProtocolViolation(_logger, Name, _lastAudit.Violations, string.Join("; ", _lastAudit.Findings.Select(f => $"{f.Target}: {f.Action}")));
            RedundancyMetrics.ProtocolViolations(Name, _lastAudit.Violations);
        }

        // Maintenance (re-protection, relocation) every ResyncInterval; periodic mode also flushes every FlushInterval.
        _timer = this.RegisterGrainTimer(TickAsync, Context.Options.ResyncInterval, Context.Options.ResyncInterval);
        if (Mode == ReplicationMode.Periodic)
        {
            _flushTimer = this.RegisterGrainTimer(async _ =>
            {
                if (_state == ProcessState.Ready && _session is { } session)
                {
                    await session.FlushAsync();
                    OnTick();
                }
            }, Settings.FlushInterval, Settings.FlushInterval);
        }
        _state = ProcessState.Ready;
        RebuildReason = null;
        _lastRestoreMs = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
        Log.Restored(_logger, Name, _session.Ballot, _session.Seq, restored.Source, _lastRestoreMs.Value,
            $"checked {report.Checked}, missing {report.Missing}, stale {report.Stale}, wrong {report.Wrong}, repaired {report.Repaired}, recovered {report.Recovered}");
        span?.SetTag("redundancy.epoch", _session.Ballot);
        span?.SetTag("redundancy.seq", _session.Seq);
        span?.SetTag("redundancy.restored_from", restored.Source);
        RedundancyMetrics.Restored(Name, _lastRestoreMs.Value, _lastAudit);
        Context.Audits.Record(new AuditRecord { Process = Name, At = Context.Time.GetUtcNow(), RestoreMs = _lastRestoreMs.Value, Report = _lastAudit });
        ReportGauges();
        OnReady(new ProcessReadyReport(Name, Definition.Slot, Context.CardId ?? "?", restoreMs, _lastAudit.DurationMs, Context.Time.GetUtcNow()));
        OnTick();
    }

    /// <summary>No member of the in-sync set could be reached: stay unavailable, say which copies are missing, try again later (I7).</summary>
    private void BecomeUnavailable(string why)
    {
        _state = ProcessState.Unavailable;
        _reason = why;
        Log.RestoreRefused(_logger, Name, why);
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(async ct =>
        {
            if (_state == ProcessState.Unavailable)
            {
                _state = ProcessState.Restoring;
                await RestoreAndServeAsync(ct);
            }
        }, Context.Options.RestoreRetryInterval, Context.Options.RestoreRetryInterval);
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
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
        InSyncReplicas = _session?.InSyncCount ?? 0,
        InSyncVersion = _session?.InSync.Version ?? 0,
        MinInSyncReplicas = Settings.MinInSync,
        ProtectedSeq = _session?.ProtectedSeq ?? 0,
        Durability = Settings.Durability.ToString(),
        MissingCopies = _state == ProcessState.Unavailable ? _reason : _session is { Protected: false } s ? s.DescribeProtection() : null,
    };

    /// <summary>
    /// Reconciles the restored state with the associated processes (M8) before the process serves. May commit repairs
    /// through <see cref="CommitAsync"/>. In synchronous mode, finding acknowledged changes there that the restored
    /// state lacks is a protocol violation (I6): report it in <see cref="AuditReport.Violations"/>, never hide it as a repair.
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
            Recovered = report.Recovered + later.Recovered,
            Unrecoverable = report.Unrecoverable + later.Unrecoverable,
            Violations = report.Violations + later.Violations,
            Findings = findings,
            AuditedSeq = Seq,
        };
        if (later.Violations > 0)
        {
            Log.ProtocolViolation(_logger, Name, later.Violations, string.Join("; ", later.Findings.Select(f => $"{f.Target}: {f.Action}")));
            RedundancyMetrics.ProtocolViolations(Name, later.Violations);
        }
    }

    /// <summary>This process's table entry; the chassis manager, which is not in the table, overrides it.</summary>
    protected virtual ProcessDefinition ResolveDefinition() => Context.Table.Get(Name);

    /// <summary>
    /// True for the control plane (the chassis manager): replicated on any live card, spares included; accepts writes it
    /// cannot protect; rebuilds itself from the cards when every copy was lost, instead of staying unavailable (I7).
    /// </summary>
    private protected virtual bool ControlPlane => false;

    /// <summary>The cards as this process sees them now.</summary>
    private ReplicaCardView CardView() => new(Name, Context.CardId, Context.Cards.GetCards(), ControlPlane, Settings.ReplicaCount);

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
}
