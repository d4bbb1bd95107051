using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Timers;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Replication.Ledger;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Processes;

/// <summary>
/// The <see cref="IReplicatedState{TState, TDelta}"/> facet of one activation. At the grain's setup stage it takes a
/// unique ballot from the process ledger, restores the freshest copy held by the in-sync set (I4, I5), runs the grain's
/// <see cref="IRestoreAudit"/>, and only then lets the grain serve. A process whose in-sync copies cannot be reached stays
/// <see cref="ProcessState.Unavailable"/> and keeps trying, rather than start without them. It is also the process's
/// management extension (<see cref="IRedundantProcess"/>) and the gate the serving filter asks.
/// </summary>
internal sealed partial class ReplicatedState<TState, TDelta> : IReplicatedState<TState, TDelta>, IRedundantProcess, IServingGate
    where TState : IHotState<TDelta>, new()
{
    private readonly IGrainContext _grain;
    private readonly RedundancyContext _context;
    private readonly IGrainFactory _grains;
    private readonly ITimerRegistry _timers;
    private ILogger _logger;
    private ReplicationSession<TState, TDelta>? _session;
    private ProcessState _state = ProcessState.Inactive;
    private string? _reason;
    private bool _crashed;
    private bool _moving;
    private bool _controlPlane;
    private bool _activated;
    private AuditReport? _lastAudit;
    private double? _lastRestoreMs;
    private IDisposable? _timer;
    private IDisposable? _flushTimer;
    private IReplicaChannel<TState, TDelta>[] _replicas = [];
    private long _started;

    public ReplicatedState(IGrainContext grain, RedundancyContext context, IGrainFactory grains, ITimerRegistry timers)
    {
        _grain = grain;
        _context = context;
        _grains = grains;
        _timers = timers;
        _logger = context.Loggers.CreateLogger("Redundancy.Orleans.Processes.ReplicatedState");
        Name = grain.GrainId.Key.ToString()!;
        grain.SetComponent<IRedundantProcess>(this);
        grain.SetComponent<IServingGate>(this);
        grain.ObservableLifecycle.Subscribe("Redundancy.ReplicatedState", GrainLifecycleStage.SetupState, OnActivateAsync, OnDeactivateAsync);
    }

    public string Name { get; }

    public ProcessDefinition Definition { get; private set; } = new();

    public TState State { get; private set; } = new();

    public long Seq => _session?.Seq ?? 0;

    public long Epoch => _session?.Ballot ?? 0;

    public long VisibleSeq => _session?.VisibleSeq ?? 0;

    public long DataBallot => _session?.DataBallot ?? 0;

    public (long Ballot, long Seq) RestoredCopy => _session is { } s ? (s.BaseBallot, s.BaseSeq) : (0, 0);

    public bool NewProcess => _session is { InSync.Version: 0, Seq: 0 } && RebuildReason is null;

    public ProcessState LifecycleState => _state;

    public ReplicationMode Mode => Settings.Mode;

    public DurabilityMode Durability => Settings.Durability;

    public string? RebuildReason { get; private set; }

    /// <summary>The protocol settings of this process.</summary>
    internal ReplicationSettings Settings { get; private set; } = new();

    private async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _started = Stopwatch.GetTimestamp();
        _logger = _context.Loggers.CreateLogger(_grain.GrainInstance?.GetType().FullName ?? "Redundancy.Orleans.Processes.ReplicatedState");
        var controlPlane = _grain.GrainInstance as IControlPlaneProcess;
        _controlPlane = controlPlane is not null;
        Definition = controlPlane?.Definition ?? _context.Table.Get(Name);
        Settings = _context.SettingsFor(Definition, _controlPlane);
        _state = ProcessState.Restoring;
        if (_context.Restarts.IsQuarantined(Name, out var why))
        {
            _state = ProcessState.Quarantined;
            _reason = why;
            _activated = true;
            return;
        }

        _replicas = Enumerable.Range(0, Settings.ReplicaCount)
            .Select(i => (IReplicaChannel<TState, TDelta>)new GrainReplicaChannel<TState, TDelta>(
                _grains.GetGrain<IHotStateReplica<TState, TDelta>>(ReplicaKeys.Format(Name, i)), i, _context.Serializer, _context.Metrics, Settings.SnapshotChunkBytes, _context.Time))
            .ToArray();
        await RestoreAndServeAsync(cancellationToken);

        // Only an activation that came up (ready, or unavailable and retrying) is flushed and brought back when it goes:
        // one whose restore threw failed, and the card manager's keep-alive restarts it with its own backoff.
        _activated = true;
    }

    /// <summary>Restore, audit, ready; or <see cref="ProcessState.Unavailable"/> with a retry timer when no in-sync copy answers.</summary>
    private async Task RestoreAndServeAsync(CancellationToken cancellationToken)
    {
        using var span = RedundancyTelemetry.ActivitySource.StartActivity("restore");
        span?.SetTag("redundancy.process", Name);
        span?.SetTag("redundancy.card", _context.CardId);
        var ledger = new GrainLedgerClient(_grains.GetGrain<IProcessLedger>(Name));
        var restorer = new Restorer<TState, TDelta>(Name, Settings, _replicas, ledger, CardView(), _context.Time);
        RestoreResult<TState> restored;
        try
        {
            restored = await restorer.RestoreAsync();
        }
        catch (RedundancyException e) when (e.Kind == RedundancyErrorKind.Unavailable)
        {
            if (_controlPlane)
            {
                // I7: the control plane never refuses forever; it rebuilds itself from the cards and membership.
                await _grains.GetGrain<IProcessLedger>(Name).RequestRebuild("every copy of the control plane was lost: " + e.Message);
                restored = await new Restorer<TState, TDelta>(Name, Settings, _replicas, ledger, CardView(), _context.Time).RestoreAsync();
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
        _session = new ReplicationSession<TState, TDelta>(Settings, restored, () => State, _replicas, ledger, CardView, _context.Time, _context.Metrics);
        _state = ProcessState.Auditing;
        _reason = null;
        var restoredSeq = _session.Seq;
        var auditStarted = Stopwatch.GetTimestamp();
        AuditReport report;
        using (var auditSpan = RedundancyTelemetry.ActivitySource.StartActivity("audit"))
        {
            auditSpan?.SetTag("redundancy.process", Name);
            report = _grain.GrainInstance is IRestoreAudit audit ? await audit.AuditAsync(cancellationToken) : new AuditReport();
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
            _context.Metrics.ProtocolViolations(Name, _lastAudit.Violations);
        }

        // Maintenance (re-protection, relocation) every ResyncInterval; periodic mode also flushes every FlushInterval.
        _timer = RegisterTimer(TickAsync, _context.Options.ResyncInterval);
        if (Mode == ReplicationMode.Periodic)
        {
            _flushTimer = RegisterTimer(async _ =>
            {
                if (_state == ProcessState.Ready && _session is { } session)
                {
                    await session.FlushAsync();
                    OnTick();
                }
            }, Settings.FlushInterval);
        }

        _state = ProcessState.Ready;
        RebuildReason = null;
        _lastRestoreMs = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
        Log.Restored(_logger, Name, _session.Ballot, _session.Seq, restored.Source, _lastRestoreMs.Value,
            $"checked {report.Checked}, missing {report.Missing}, stale {report.Stale}, wrong {report.Wrong}, repaired {report.Repaired}, recovered {report.Recovered}");
        span?.SetTag("redundancy.epoch", _session.Ballot);
        span?.SetTag("redundancy.seq", _session.Seq);
        span?.SetTag("redundancy.restored_from", restored.Source);
        _context.Metrics.Restored(Name, _lastRestoreMs.Value, _lastAudit);
        _context.Audits.Record(new AuditRecord { Process = Name, At = _context.Time.GetUtcNow(), RestoreMs = _lastRestoreMs.Value, Report = _lastAudit });
        ReportGauges();
        var ready = new ProcessReadyReport(Name, Definition.Slot, _context.CardId ?? "?", restoreMs, _lastAudit.DurationMs, _context.Time.GetUtcNow()) { RestoredFrom = restored.Source };
        FailoverDiagnostics.Write(FailoverDiagnostics.ProcessReady, ready);
        if (!_controlPlane)
        {
            // The chassis manager does not report to itself.
            ReportReadyAsync(ready).Ignore();
        }

        OnTick();
    }

    private IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan period) =>
        _timers.RegisterGrainTimer(_grain, static (callback, ct) => callback(ct), callback, new GrainTimerCreationOptions(period, period));

    /// <summary>No member of the in-sync set could be reached: stay unavailable, say which copies are missing, try again later (I7).</summary>
    private void BecomeUnavailable(string why)
    {
        _state = ProcessState.Unavailable;
        _reason = why;
        Log.RestoreRefused(_logger, Name, why);
        _timer?.Dispose();
        _timer = RegisterTimer(async ct =>
        {
            if (_state == ProcessState.Unavailable)
            {
                _state = ProcessState.Restoring;
                await RestoreAndServeAsync(ct);
            }
        }, _context.Options.RestoreRetryInterval);
    }

    private async Task OnDeactivateAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _flushTimer?.Dispose();
        _context.Metrics.ForgetProcess(Name);
        if (_crashed || !_activated)
        {
            return;
        }

        if (_state == ProcessState.Ready && _session is { PendingCount: > 0 })
        {
            await _session.FlushAsync();
        }

        // Anything but a shutdown of this card or a planned move (for example a grain-directory failure) is brought back at once.
        if (!_context.CardManager.Stopping && _state != ProcessState.Fenced && !_moving)
        {
            _context.CardManager.RequestRestart(Name);
        }
    }

    public Task<ProcessStatus> GetStatus()
    {
        ThrowIfCrashed();
        return Task.FromResult(Status());
    }

    private ProcessStatus Status() => new()
    {
        Name = Name,
        Slot = Definition.Slot,
        CardId = _context.CardId,
        State = _state,
        Epoch = Epoch,
        Seq = Seq,
        StateSize = _state is ProcessState.Ready or ProcessState.Auditing ? State.Size : 0,
        Replicas = _session?.Describe() ?? [],
        LastAudit = _lastAudit,
        Restarts = _context.Restarts.Restarts(Name),
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

    public void AmendAudit(AuditReport later)
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
            _context.Metrics.ProtocolViolations(Name, later.Violations);
        }
    }

    /// <summary>The cards as this process sees them now.</summary>
    private ReplicaCardView CardView() => new(Name, _context.CardId, _context.Cards.GetCards(), _controlPlane, Settings.ReplicaCount);

    /// <summary>
    /// Tells the chassis manager that the process is ready after a restore, which closes the timing of a failover with it
    /// (in the background: never delays serving).
    /// </summary>
    private async Task ReportReadyAsync(ProcessReadyReport report)
    {
        // The chassis manager may be moving or restoring right now (a switchover can move the slot it runs on):
        // it then refuses or does not answer. The report closes an event, so it is retried for a while rather
        // than lost; the chassis manager counts each process once.
        var manager = _grains.GetGrain<IChassisManager>(IChassisManager.Key);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await manager.ReportReady(report);
                return;
            }
            catch (Exception e) when (attempt < 10 && e is not OutOfMemoryException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), _context.Time);
            }
        }
    }

    /// <summary>The grain's background work, once ready and on every tick.</summary>
    private void OnTick() => (_grain.GrainInstance as IProcessTick)?.OnTick();
}
