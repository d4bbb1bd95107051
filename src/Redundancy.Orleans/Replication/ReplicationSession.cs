using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication.Ledger;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Replication;

/// <summary>
/// The primary side of the replication protocol (M2, I1–I3): numbers changes, sends them to the members of the in-sync
/// set and acknowledges a change as protected only when every member applied it and the set has its minimum; drops a
/// member that failed and re-protects by snapshot, recording every change of the set in the ledger first; notices when a
/// newer primary exists (this one is fenced and must stop). Not thread-safe: the owning grain's turn-based scheduling
/// serialises every call. Free of Orleans, so the protocol simulator drives this very code.
/// </summary>
internal sealed partial class ReplicationSession<TState, TDelta>
    where TState : IHotState<TDelta>, new()
{
    private readonly IReadOnlyList<IReplicaChannel<TState, TDelta>> _replicas;
    private readonly ReplicaTracker[] _trackers;
    private readonly Func<TState> _state;
    private readonly ILedgerClient _ledger;
    private readonly Diagnostics.RedundancyMetrics? _metrics; // none in the protocol simulation and unit tests
    private readonly TimeProvider _time;
    private List<TDelta> _pending = [];
    private long _pendingFirstSeq;
    private int _inFlight;

    // Set when a write found the process unprotected and waiting did not re-protect it: later writes try once without
    // waiting (the background tick keeps re-protecting), so a process that stays degraded answers at once instead of
    // after ReprotectWait on every write. Cleared by the first write that finds it protected.
    private bool _degraded;
    private TaskCompletionSource? _quiescent;
    private DateTimeOffset? _unprotectedSince;
    private readonly SemaphoreSlim _lock = new(1, 1);

    private readonly Func<IReplicaCards> _viewCards;

    /// <param name="cards">A fresh view of the cards (membership, slot map), taken when the session must choose or check cards.</param>
    public ReplicationSession(ReplicationSettings settings, RestoreResult<TState> restored, Func<TState> state,
        IReadOnlyList<IReplicaChannel<TState, TDelta>> replicas, ILedgerClient ledger, Func<IReplicaCards> cards, TimeProvider time,
        Diagnostics.RedundancyMetrics? metrics = null)
    {
        _metrics = metrics;
        _viewCards = cards;
        Settings = settings;
        Ballot = restored.Ballot;
        BaseBallot = restored.DataBallot;
        BaseSeq = restored.Seq;
        Seq = restored.Seq;
        ProtectedSeq = restored.Seq;
        VisibleSeq = restored.Seq;
        InSync = restored.InSync;
        Cards = cards();
        _state = state;
        _replicas = replicas;
        _ledger = ledger;
        _time = time;
        _trackers = replicas.Select(r => new ReplicaTracker(r.Index)).ToArray();
        foreach (var member in InSync.Members)
        {
            if (member.Index < _trackers.Length)
            {
                _trackers[member.Index].Joined(member.CopyId, member.CardId, Seq);
            }
        }

        _unprotectedSince = InSyncCount >= settings.MinInSync ? null : time.GetUtcNow();
    }

    public ReplicationSettings Settings { get; }

    /// <summary>This primary's ballot (shown as <c>epoch</c>): unique per activation, from the ledger (I5).</summary>
    public long Ballot { get; }

    /// <summary>The copy this primary restored from: replicas holding exactly it continue with this primary's deltas.</summary>
    public long BaseBallot { get; }

    public long BaseSeq { get; }

    /// <summary>
    /// The ballot of the data the primary holds now: the restored copy's until this primary writes, then its own. With
    /// <see cref="Seq"/> it names the state, as a replica's copy is named; associated processes are told this pair.
    /// </summary>
    public long DataBallot => Seq > BaseSeq ? Ballot : BaseBallot;

    /// <summary>Sequence number of the last change applied on the primary.</summary>
    public long Seq { get; private set; }

    /// <summary>Every change up to this seq is held by every member of an in-sync set of at least the minimum size.</summary>
    public long ProtectedSeq { get; private set; }

    /// <summary>
    /// Changes up to this seq may be shown outside the primary (forwarding table, peers): protected ones, or — when the
    /// process accepts unprotected writes or replicates periodically — every change it acknowledged (I2, hole 10).
    /// </summary>
    public long VisibleSeq { get; private set; }

    /// <summary>The latest in-sync set this primary recorded (or restored with).</summary>
    public InSyncSet InSync { get; private set; }

    /// <summary>The cards as last seen (refreshed by every tick and every re-protection).</summary>
    public IReplicaCards Cards { get; private set; }

    /// <summary>Set when a newer primary exists (a replica promised a higher ballot, or the ledger has one): stop serving.</summary>
    public string? FencedBy { get; private set; }

    public int PendingCount => _pending.Count;

    /// <summary>Members of the in-sync set on distinct cards other than the primary's: what protection counts.</summary>
    public int InSyncCount => DistinctCards(Healthy);

    /// <summary>How many distinct cards other than the primary's hold <paramref name="members"/> (two on one card count once).</summary>
    private int DistinctCards(IEnumerable<InSyncMember> members) =>
        members.Where(m => m.CardId is null || m.CardId != Cards.OwnCard).Select(m => m.CardId ?? "?" + m.Index).Distinct().Count();

    /// <summary>Whether <paramref name="members"/> alone keep the set's minimum (and at least one card): they may be recorded as the set.</summary>
    private bool HasMinimum(IEnumerable<InSyncMember> members)
    {
        var cards = DistinctCards(members);
        return cards >= Settings.MinInSync && cards > 0;
    }

    /// <summary>Members not suspected of missing a change since the set was recorded.</summary>
    private IEnumerable<InSyncMember> Healthy => InSync.Members.Where(m => !_suspects.Contains(m.Index));

    /// <summary>
    /// True while the in-sync set has its minimum and every recorded member holds every change (periodic mode: up to the
    /// flush lag). A suspect member is still in the recorded set, so a restore may take its copy: while one exists nothing
    /// is protected, however many other members hold the change — it is brought level, or recorded out of the set
    /// (found by the simulator: with k = 2 and a minimum of 1, a superseded primary counted its one level member, showed
    /// a change outside, and the new primary restored from the suspect that lacked it).
    /// </summary>
    public bool Protected => FencedBy is null && _unrecorded is null && _suspects.Count == 0 && InSyncCount >= Settings.MinInSync;

    /// <summary>Since when the process has been below its minimum in-sync set, or null.</summary>
    public DateTimeOffset? UnprotectedSince => _unprotectedSince;

    /// <summary>How long the last unprotected period lasted.</summary>
    public TimeSpan? LastUnprotected { get; private set; }

    /// <summary>Unprotected time in total since this activation started.</summary>
    public TimeSpan TotalUnprotected { get; private set; }

    /// <summary>The furthest replica's distance behind the primary (a replica outside the in-sync set counts fully).</summary>
    public long Lag => _trackers.Length == 0 ? 0 : _trackers.Max(t => IsMember(t.Index) ? Math.Max(0, Seq - t.AckedSeq) : Seq);

    /// <summary>Cards holding members of the in-sync set.</summary>
    public IEnumerable<string> ReplicaCards => InSync.Members.Select(m => m.CardId).OfType<string>();

    /// <summary>Completes when no commit is between applying a change and its answer (background work reads the state then).</summary>
    public Task WhenQuiescentAsync()
    {
        if (_inFlight == 0)
        {
            return Task.CompletedTask;
        }

        _quiescent ??= new TaskCompletionSource();
        return _quiescent.Task;
    }

    /// <summary>
    /// Applies and replicates one change (synchronous mode: to every member of the in-sync set; periodic: buffered).
    /// A change that cannot be protected is refused before <paramref name="apply"/> runs (<see cref="RedundancyErrorKind.NotProtected"/>)
    /// unless the process accepts unprotected writes; a change sent whose protection could not be confirmed ends in
    /// <see cref="RedundancyErrorKind.OutcomeUnknown"/>. <paramref name="atLeastSeq"/> lets an audit jump the sequence to one
    /// an associated process already saw (periodic-mode recovery).
    /// </summary>
    public async Task<CommitOutcome> CommitAsync(TDelta delta, Action<TDelta> apply, long? atLeastSeq = null)
    {
        // One change at a time: a background task of the grain (a deferred audit) may commit while a request's commit awaits its replicas.
        await _lock.WaitAsync();
        try
        {
            return await CommitCoreAsync(delta, apply, atLeastSeq);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Runs one of the session's other mutations under the same lock as commits.</summary>
    private async Task<T> ExclusiveAsync<T>(Func<Task<T>> action)
    {
        await _lock.WaitAsync();
        try
        {
            return await action();
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<CommitOutcome> CommitCoreAsync(TDelta delta, Action<TDelta> apply, long? atLeastSeq)
    {
        ThrowIfFenced("nothing was changed");
        var unprotected = false;
        _degraded &= !Protected;
        if (Settings.Mode == ReplicationMode.Synchronous && !Settings.Has(ProtocolFlaws.SwallowReplicaFailures) && !Protected)
        {
            if (Settings.ReplicaCount > 0)
            {
                await ReprotectAsync(_time.GetUtcNow() + (_degraded ? TimeSpan.Zero : Settings.ReprotectWait), untilProtected: true);
                ThrowIfFenced("nothing was changed");
                _degraded = !Protected;
            }

            if (!Protected)
            {
                if (Settings.Durability == DurabilityMode.RefuseUnprotected)
                {
                    throw new RedundancyException(RedundancyErrorKind.NotProtected,
                        $"The write was refused: {DescribeProtection()}. Nothing was changed; retry once the process is protected again.");
                }

                unprotected = true;
                await ConfirmBallotAsync();
                ThrowIfFenced("nothing was changed");
            }
        }

        _inFlight++;
        try
        {
            var seq = Math.Max(Seq + 1, atLeastSeq ?? 0);
            apply(delta);
            if (seq != Seq + 1)
            {
                // A jump: the replicas cannot follow delta by delta; they take a snapshot.
                _pending = [];
                Seq = seq;
                return await AfterSnapshotJumpAsync();
            }

            Seq = seq;
            if (Settings.Has(ProtocolFlaws.EffectsBeforeProtection))
            {
                VisibleSeq = Seq; // the old behaviour: associated processes may see the change before any replica holds it
            }

            if (Settings.Mode == ReplicationMode.Periodic)
            {
                if (_pending.Count == 0)
                {
                    _pendingFirstSeq = seq;
                }

                _pending.Add(delta);
                VisibleSeq = Seq;
                return new CommitOutcome(Seq, InSyncCount, Protection.UnprotectedUntilFlushed, _time.GetUtcNow() + Settings.FlushInterval);
            }

            var batch = new DeltaBatch<TDelta>(Ballot, seq, [delta]) { BaseBallot = BaseBallot, BaseSeq = BaseSeq };
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var held = await SendToMembersAsync(batch);
            _metrics?.ReplicationSent(1, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return await ConcludeAsync(held, unprotected);
        }
        finally
        {
            if (--_inFlight == 0 && _quiescent is { } done)
            {
                _quiescent = null;
                done.TrySetResult();
            }
        }
    }

    /// <summary>After a change went to the members: protected, re-protected in time, unprotected by choice, or unknown.</summary>
    private async Task<CommitOutcome> ConcludeAsync(int held, bool unprotected)
    {
        if (Settings.Has(ProtocolFlaws.SwallowReplicaFailures))
        {
            ProtectedSeq = VisibleSeq = Seq; // the old behaviour: "protected" whatever the replicas answered
            return new CommitOutcome(Seq, _replicas.Count, Protection.Protected);
        }

        if (FencedBy is { } fenced)
        {
            throw OutcomeUnknown($"this primary was superseded while the write was in flight ({fenced})");
        }

        if (!unprotected && !Protected)
        {
            await ReprotectAsync(_time.GetUtcNow() + Settings.ReprotectWait, untilProtected: true);
            _degraded = !Protected;
            if (FencedBy is { } later)
            {
                throw OutcomeUnknown($"this primary was superseded while the write was in flight ({later})");
            }
        }

        if (Protected && !unprotected)
        {
            ProtectedSeq = Seq;
            VisibleSeq = Math.Max(VisibleSeq, Seq);
            return new CommitOutcome(Seq, InSyncCount, Protection.Protected);
        }

        if (unprotected || Settings.Durability == DurabilityMode.AcceptUnprotected)
        {
            await ConfirmBallotAsync();
            if (FencedBy is { } superseded)
            {
                throw OutcomeUnknown($"this primary was superseded ({superseded})");
            }

            VisibleSeq = Seq;
            return new CommitOutcome(Seq, Math.Min(held, InSyncCount), Protection.Unprotected);
        }

        throw OutcomeUnknown($"a replica failed while the write was in flight and the process could not be re-protected within {Settings.ReprotectWait.TotalMilliseconds:0} ms ({DescribeProtection()})");
    }

    private async Task<CommitOutcome> AfterSnapshotJumpAsync()
    {
        foreach (var t in _trackers)
        {
            t.AckedSeq = Math.Min(t.AckedSeq, Seq - 1);
        }

        // Every member takes the new state as a snapshot; one that fails leaves the set.
        var members = InSync.Members.ToList();
        var results = await Task.WhenAll(members.Select(m => InstallAsync(_replicas[m.Index], null)));
        var failed = members.Where((m, i) => results[i] is not { } ack || ack.CopyId != m.CopyId).ToList();
        if (FencedBy is null && failed.Count > 0)
        {
            await DropAsync(failed, "did not take the snapshot of a sequence jump");
        }

        if (Settings.Mode == ReplicationMode.Periodic)
        {
            ProtectedSeq = Protected ? Seq : ProtectedSeq;
            VisibleSeq = Seq;
            return new CommitOutcome(Seq, InSyncCount, Protection.UnprotectedUntilFlushed, _time.GetUtcNow() + Settings.FlushInterval);
        }

        return await ConcludeAsync(members.Count - failed.Count, unprotected: false);
    }

    /// <summary>Sends a batch to every member; drops (and records) those that fail; returns how many hold it.</summary>
    private async Task<int> SendToMembersAsync(DeltaBatch<TDelta> batch)
    {
        var members = InSync.Members.ToList();
        var acks = await Task.WhenAll(members.Select(m => ApplyAsync(_replicas[m.Index], batch)));
        if (FencedBy is not null || Settings.Has(ProtocolFlaws.SwallowReplicaFailures))
        {
            return acks.Count(a => a is not null);
        }

        var failed = new List<InSyncMember>();
        var moved = new List<InSyncMember>();
        for (var i = 0; i < members.Count; i++)
        {
            if (acks[i] is not { } ack || ack.Seq < batch.LastSeq)
            {
                failed.Add(members[i]);
            }
            else if (ack.CopyId != members[i].CopyId)
            {
                // The replica lost its copy (it started empty) and took a snapshot of this very change: same index, new copy.
                moved.Add(members[i] with { CopyId = ack.CopyId!, CardId = ack.CardId });
            }
        }

        if (moved.Count > 0)
        {
            await RecordAsync([.. InSync.Members.Where(m => moved.All(x => x.Index != m.Index)), .. moved], "a replica took a new copy");
        }

        if (failed.Count > 0 && FencedBy is null)
        {
            await DropAsync(failed, "failed a write");
        }

        return members.Count - failed.Count;
    }

    /// <summary>One member's apply; a replica that lacks the history gets a snapshot. Null when it failed.</summary>
    private async Task<ReplicaAck?> ApplyAsync(IReplicaChannel<TState, TDelta> replica, DeltaBatch<TDelta> batch)
    {
        var tracker = _trackers[replica.Index];
        try
        {
            var ack = await replica.Apply(batch).WaitAsync(Settings.AckTimeout, _time);
            if (ack.Outcome == ReplicaOutcome.NeedSnapshot)
            {
                return await InstallAsync(replica, null);
            }

            return Accept(tracker, ack) ? ack : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            tracker.Failed(e);
            return null;
        }
    }

    /// <summary>Installs the current state on a replica. Null when it failed or this primary is fenced.</summary>
    private async Task<ReplicaAck?> InstallAsync(IReplicaChannel<TState, TDelta> replica, string? placeOn)
    {
        var tracker = _trackers[replica.Index];
        try
        {
            var snapshot = new HotStateSnapshot<TState>(Ballot, Seq, _state());
            var ack = await replica.Install(snapshot, placeOn, Settings.AckTimeout);
            return Accept(tracker, ack) && ack.Seq >= snapshot.Seq ? ack : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            tracker.Failed(e);
            return null;
        }
    }

    private bool Accept(ReplicaTracker tracker, ReplicaAck ack)
    {
        if (ack.Outcome == ReplicaOutcome.StaleBallot)
        {
            Fence($"replica {tracker.Index} on card '{ack.CardId ?? "?"}' promised ballot {ack.Promised}, higher than this primary's {Ballot}");
            return false;
        }

        if (ack.Outcome != ReplicaOutcome.Applied)
        {
            tracker.LastError = $"answered {ack.Outcome}";
            return false;
        }

        tracker.Acked(ack);
        return true;
    }

    private void Fence(string reason) => FencedBy ??= reason;

    /// <summary>
    /// A primary accepting a write it cannot protect has no replica to tell it whether a newer activation took over: it
    /// asks the ledger (best effort: an unreachable ledger does not stop a process that prefers availability).
    /// </summary>
    private async Task ConfirmBallotAsync()
    {
        if (Settings.ReplicaCount == 0)
        {
            return; // a process without replicas (a measurement baseline) is a plain grain: Orleans' single activation is all it has
        }

        try
        {
            var highest = await _ledger.GetHighestBallot().WaitAsync(Settings.AckTimeout, _time);
            if (highest > Ballot)
            {
                Fence($"the ledger holds ballot {highest}, higher than this primary's {Ballot}");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // availability first: go on
        }
    }

    private void ThrowIfFenced(string consequence)
    {
        if (FencedBy is { } fenced)
        {
            throw new RedundancyException(RedundancyErrorKind.NotServing, $"This primary (ballot {Ballot}) is fenced: {fenced}; {consequence}.");
        }
    }

    private RedundancyException OutcomeUnknown(string why) =>
        new(RedundancyErrorKind.OutcomeUnknown, $"The outcome of write seq {Seq} is unknown: {why}. It may or may not survive; read it back before relying on either outcome.");

    public string DescribeProtection()
    {
        var members = InSync.Members.Count == 0 ? "none" : string.Join(", ", InSync.Members.Select(m => $"r{m.Index}@{m.CardId ?? "?"}"));
        var missing = _trackers.Where(t => !IsMember(t.Index)).Select(t => $"r{t.Index}" + (t.LastError is { } e ? $" ({e})" : "")).ToList();
        return $"the in-sync set has {InSyncCount} of the {Settings.MinInSync} replica(s) it needs (members: {members}" +
            (missing.Count > 0 ? $"; missing: {string.Join(", ", missing)}" : "") + ")";
    }

    private bool IsMember(int index) => InSync.Members.Any(m => m.Index == index);

    private static string Describe(IEnumerable<InSyncMember> members) => string.Join(", ", members.Select(m => $"replica {m.Index} on card '{m.CardId ?? "?"}'"));
}
