using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Replication;

/// <summary>
/// The primary side of the replication protocol (M2): numbers changes, sends them to every replica
/// (synchronously or in periodic batches), refills a new or lagging replica with a snapshot, and
/// notices when a replica has seen a newer epoch (this primary is fenced and must stop serving).
/// Not thread-safe: the owning grain's turn-based scheduling serialises every call.
/// </summary>
internal sealed class ReplicationSession<TState, TDelta>
    where TState : IHotState<TDelta>, new()
{
    private readonly IReadOnlyList<IReplicaChannel<TState, TDelta>> _replicas;
    private readonly Func<TState> _state;
    private readonly Tracker[] _trackers;
    private List<TDelta> _pending = [];
    private long _pendingFirstSeq;

    private readonly TimeProvider _time;
    private DateTimeOffset? _unprotectedSince;

    private readonly Func<int> _otherCards;
    private readonly Func<IReadOnlyCollection<string>, string?> _chooseCard;

    /// <param name="otherCards">How many live cards other than the primary's could hold a replica: two replicas on one card
    /// (placed while the chassis was still starting) are spread out again when more cards are there.</param>
    /// <param name="chooseCard">Picks a live card for a replica that must be re-created, avoiding the given cards (null: let placement choose).</param>
    public ReplicationSession(IReadOnlyList<IReplicaChannel<TState, TDelta>> replicas, ReplicationMode mode, Func<TState> state, long epoch, long seq,
        string? ownCardId = null, TimeProvider? time = null, Func<int>? otherCards = null, Func<IReadOnlyCollection<string>, string?>? chooseCard = null)
    {
        _otherCards = otherCards ?? (() => 0);
        _chooseCard = chooseCard ?? (_ => null);
        _replicas = replicas;
        _state = state;
        _time = time ?? TimeProvider.System;
        Mode = mode;
        Epoch = epoch;
        Seq = seq;
        OwnCardId = ownCardId;
        _trackers = replicas.Select(_ => new Tracker()).ToArray();
        _unprotectedSince = _time.GetUtcNow();
    }

    /// <summary>The primary's card: a replica found there is moved away (M3).</summary>
    public string? OwnCardId { get; }

    /// <summary>True while every replica holds the state (periodic mode: up to the flush lag).</summary>
    public bool Protected => _trackers.Length > 0 && _trackers.All(t => !t.NeedsSnapshot && t.CardId is not null && t.CardId != OwnCardId);

    /// <summary>Cards holding this process's replicas, as last acknowledged.</summary>
    public IEnumerable<string> ReplicaCards => _trackers.Select(t => t.CardId).OfType<string>();

    /// <summary>Since when at least one replica has been missing, or null when protected.</summary>
    public DateTimeOffset? UnprotectedSince => _unprotectedSince;

    /// <summary>How long the last unprotected period lasted.</summary>
    public TimeSpan? LastUnprotected { get; private set; }

    /// <summary>Unprotected time in total since this activation started.</summary>
    public TimeSpan TotalUnprotected { get; private set; }

    /// <summary>
    /// Re-protection: marks replicas whose card is no longer alive, so the next flush refills them by
    /// snapshot (Orleans re-places them on a live card).
    /// </summary>
    public void CheckReplicaCards(Func<string, bool> isAlive)
    {
        foreach (var t in _trackers)
        {
            if (t.CardId is { } card && !t.NeedsSnapshot && !isAlive(card))
            {
                t.NeedsSnapshot = true;
                t.LastError = $"card '{card}' is dead";
            }
        }

        UpdateProtection();
    }

    /// <summary>
    /// Moves replicas off cards that are alive but serve no slot (a card vacated by a planned switchover is a
    /// spare now, and a spare holds no replicas), so that the card can be stopped without leaving a process
    /// unprotected. Nothing moves when no other card can take the replica.
    /// </summary>
    public async Task RelocateOffCardsAsync(Func<string, bool> isServing)
    {
        foreach (var replica in _replicas)
        {
            var tracker = _trackers[replica.Index];
            if (tracker.CardId is { } card && !tracker.NeedsSnapshot && !isServing(card) && _chooseCard(AvoidFor(tracker)) is not null)
            {
                try
                {
                    await RelocateAsync(replica, tracker, $"replica was on card '{card}', which serves no slot now: relocated");
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    tracker.LastError = e.GetType().Name + ": " + e.Message;
                }
                finally
                {
                    UpdateProtection();
                }
            }
        }
    }

    public ReplicationMode Mode { get; }

    public long Epoch { get; }

    public long Seq { get; private set; }

    /// <summary>Set when a replica reported a newer epoch: a newer primary exists.</summary>
    public string? FencedBy { get; private set; }

    public int PendingCount => _pending.Count;

    /// <summary>Picks the freshest copy among replica answers: highest seq, then highest epoch. Null when none answered.</summary>
    public static HotStateSnapshot<TState>? Freshest(IEnumerable<HotStateSnapshot<TState>?> snapshots) =>
        snapshots.Where(s => s is not null).OrderByDescending(s => s!.Seq).ThenByDescending(s => s!.Epoch).FirstOrDefault();

    /// <summary>Announces this primary's epoch and restored seq; replicas that differ get a snapshot.</summary>
    public Task FenceAllAsync() => Task.WhenAll(_replicas.Select(r => SendAsync(r, () => r.Fence(Epoch, Seq))));

    /// <summary>
    /// Records a change the caller already applied to the state. Synchronous mode returns after every
    /// reachable replica applied it; periodic mode buffers it. <paramref name="atLeastSeq"/> lets an audit
    /// jump the sequence to one an associated process already saw (closing a periodic-mode gap).
    /// </summary>
    public Task CommitAsync(TDelta delta, long? atLeastSeq = null)
    {
        var seq = Math.Max(Seq + 1, atLeastSeq ?? 0);
        if (seq != Seq + 1)
        {
            // A jump: the replicas cannot follow delta by delta; they will take a snapshot.
            FlushPendingIntoSnapshotNeed();
        }

        Seq = seq;
        if (Mode == ReplicationMode.Synchronous)
        {
            var batch = new DeltaBatch<TDelta>(Epoch, seq, [delta]);
            return TimedAsync(() => Task.WhenAll(_replicas.Select(r => SendAsync(r, () => r.Apply(batch)))), 1);
        }

        if (_pending.Count == 0)
        {
            _pendingFirstSeq = seq;
        }

        _pending.Add(delta);
        return Task.CompletedTask;
    }

    /// <summary>Sends buffered deltas (periodic mode) and refills replicas that need a snapshot.</summary>
    public Task FlushAsync()
    {
        if (_pending.Count > 0)
        {
            var batch = new DeltaBatch<TDelta>(Epoch, _pendingFirstSeq, _pending);
            _pending = [];
            return TimedAsync(() => Task.WhenAll(_replicas.Select(r => SendAsync(r, () => r.Apply(batch)))), batch.Deltas.Count);
        }

        var refills = _replicas.Where(r => _trackers[r.Index].NeedsSnapshot).ToList();
        return refills.Count == 0 ? Task.CompletedTask : TimedAsync(() => Task.WhenAll(refills.Select(r => SendAsync(r, () => r.Install(Snapshot())))), 0);
    }

    /// <summary>The furthest replica's distance behind the primary, in sequence numbers (a replica needing a snapshot counts fully).</summary>
    public long Lag => _trackers.Length == 0 ? 0 : _trackers.Max(t => t.NeedsSnapshot ? Seq : Math.Max(0, Seq - t.AckedSeq));

    private static async Task TimedAsync(Func<Task> replicate, int deltas)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await replicate();
        Diagnostics.RedundancyMetrics.ReplicationSent(deltas, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Fault injection: marks every replica's copy as poison.</summary>
    public Task PoisonAllAsync() => Task.WhenAll(_replicas.Select(r => SendAsync(r, () => r.Poison(Epoch))));

    public IReadOnlyList<ReplicaInfo> Describe() => _replicas.Select(r =>
    {
        var t = _trackers[r.Index];
        return new ReplicaInfo { Index = r.Index, CardId = t.CardId, AckedSeq = t.AckedSeq, InSync = !t.NeedsSnapshot && t.AckedSeq == Seq, LastError = t.LastError };
    }).ToList();

    private HotStateSnapshot<TState> Snapshot() => new(Epoch, Seq, _state());

    private void FlushPendingIntoSnapshotNeed()
    {
        _pending = [];
        foreach (var t in _trackers)
        {
            t.NeedsSnapshot = true;
        }
    }

    private async Task SendAsync(IReplicaChannel<TState, TDelta> replica, Func<Task<ReplicaAck>> call)
    {
        var tracker = _trackers[replica.Index];
        try
        {
            if (tracker.NeedsSnapshot)
            {
                // If this call re-creates the replica, put it on a card that holds neither the primary nor another replica.
                if (_chooseCard(AvoidFor(tracker)) is { } target)
                {
                    RequestContext.Set(Placement.ReplicaKeys.TargetCardContextKey, target);
                }
            }

            var ack = tracker.NeedsSnapshot ? await replica.Install(Snapshot()) : await call();
            if (ack.Outcome == ReplicaOutcome.NeedSnapshot)
            {
                ack = await replica.Install(Snapshot());
            }

            if (ack.Outcome == ReplicaOutcome.StaleEpoch)
            {
                FencedBy = $"replica {replica.Index} on card '{ack.CardId ?? "?"}' has seen epoch {ack.Epoch}, newer than this primary's epoch {Epoch}";
                return;
            }

            tracker.AckedSeq = ack.Seq;
            tracker.CardId = ack.CardId;
            tracker.NeedsSnapshot = false;
            tracker.LastError = null;
            if (OwnCardId is not null && ack.CardId == OwnCardId)
            {
                // Never a primary and its own backup on one card (degraded chassis): move the replica.
                await RelocateAsync(replica, tracker, $"replica was on the primary's card '{OwnCardId}': relocated");
            }
            else if (SharesCardWithLowerReplica(replica.Index, ack.CardId) && _otherCards() > _trackers.Select(t => t.CardId).Where(c => c is not null).Distinct().Count())
            {
                await RelocateAsync(replica, tracker, $"replica shared card '{ack.CardId}' with another replica: relocated");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // An unreachable replica does not block the primary; it is refilled by snapshot once reachable.
            tracker.NeedsSnapshot = true;
            tracker.LastError = e.GetType().Name + ": " + e.Message;
        }
        finally
        {
            UpdateProtection();
        }
    }

    private bool SharesCardWithLowerReplica(int index, string? card) =>
        card is not null && _trackers.Take(index).Any(t => t.CardId == card);

    private async Task RelocateAsync(IReplicaChannel<TState, TDelta> replica, Tracker tracker, string why)
    {
        tracker.NeedsSnapshot = true;
        tracker.LastError = why;
        tracker.CardId = null;
        await replica.Relocate(_chooseCard(AvoidFor(tracker)));
    }

    /// <summary>Cards a replica must not go to: the primary's and those of the other replicas.</summary>
    private List<string> AvoidFor(Tracker tracker) =>
        _trackers.Where(t => t != tracker).Select(t => t.CardId).OfType<string>().Append(OwnCardId).OfType<string>().ToList();

    private void UpdateProtection()
    {
        var now = _time.GetUtcNow();
        if (Protected)
        {
            if (_unprotectedSince is { } since)
            {
                LastUnprotected = now - since;
                TotalUnprotected += now - since;
                _unprotectedSince = null;
            }
        }
        else
        {
            _unprotectedSince ??= now;
        }
    }

    private sealed class Tracker
    {
        public long AckedSeq;
        public bool NeedsSnapshot;
        public string? CardId;
        public string? LastError;
    }
}
