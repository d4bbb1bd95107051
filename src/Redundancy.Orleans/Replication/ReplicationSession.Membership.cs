using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Replication;

/// <summary>Changes of the in-sync set (I3): shrinking on failure, re-protection, relocation, the periodic flush.</summary>
internal sealed partial class ReplicationSession<TState, TDelta>
{
    private IReadOnlyList<InSyncMember>? _unrecorded;

    /// <summary>
    /// Members that failed a change since the set was recorded but were not dropped from it: dropping them would leave
    /// the set below its minimum, and they still hold every change acknowledged as protected — the restore may need them.
    /// Nothing is acknowledged as protected until re-protection brings them level again (or replaces them).
    /// </summary>
    private readonly HashSet<int> _suspects = [];

    /// <summary>
    /// Records <paramref name="members"/> as the new in-sync set in the ledger. Until the ledger has answered, the set in
    /// force is unknown and nothing is acknowledged as protected. Superseded: a newer primary exists (fenced).
    /// </summary>
    private async Task<bool> RecordAsync(IReadOnlyList<InSyncMember> members, string why)
    {
        _unrecorded = members;
        string? error = null;
        for (var attempt = 0; attempt < 3 && FencedBy is null; attempt++)
        {
            try
            {
                var answer = await _ledger.ChangeInSync(Ballot, InSync.Version, members, Seq).WaitAsync(Settings.AckTimeout, _time);
                switch (answer.Outcome)
                {
                    case Ledger.LedgerOutcome.Accepted:
                        InSync = answer.InSync;
                        _unrecorded = null;
                        _suspects.RemoveWhere(i => !IsMember(i));
                        LastChange = why;
                        UpdateProtection();
                        AdvanceProtection();
                        return true;
                    case Ledger.LedgerOutcome.Superseded:
                        Fence($"the ledger holds ballot {answer.HighestBallot}, higher than this primary's {Ballot}");
                        return false;
                    default:
                        Fence($"the in-sync set changed under this primary (ledger version {answer.InSync.Version}, this primary had {InSync.Version})");
                        return false;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                error = e.Message;
            }
        }

        LastChange = $"could not record the in-sync set ({why}): {error}";
        UpdateProtection();
        return false;
    }

    /// <summary>Why the in-sync set last changed (or could not).</summary>
    public string? LastChange { get; private set; }

    /// <summary>
    /// Members that failed a change: recorded out of the set when the rest still has the minimum (later changes are then
    /// protected without them), otherwise kept as suspects (the set is not protected until re-protection).
    /// </summary>
    private async Task DropAsync(IReadOnlyCollection<InSyncMember> failed, string why)
    {
        var rest = InSync.Members.Where(m => failed.All(f => f.Index != m.Index) && !_suspects.Contains(m.Index)).ToList();
        if (HasMinimum(rest))
        {
            // The level rest holds every protected change: recording it leaves earlier suspects out in the same step.
            await RecordAsync(rest, $"{Describe(failed)} {why}");
        }
        else
        {
            _suspects.UnionWith(failed.Select(f => f.Index));
            LastChange = $"{Describe(failed)} {why}; kept in the set (it holds every protected change), not protected until re-protected";
            UpdateProtection();
        }
    }

    /// <summary>
    /// Brings replicas outside the in-sync set back in by snapshot (a card chosen away from the primary and the other
    /// members) and records them, until the set has every replica or <paramref name="deadline"/> passes. Stops early when
    /// no card can hold a missing replica: waiting would not help (hole 8).
    /// </summary>
    private async Task ReprotectAsync(DateTimeOffset deadline, bool untilProtected = false)
    {
        for (var round = 0; FencedBy is null; round++)
        {
            Cards = _viewCards();
            if (_unrecorded is { } pending && !await RecordAsync(pending, "retry"))
            {
                if (FencedBy is not null || _time.GetUtcNow() >= deadline)
                {
                    return;
                }

                await Task.Delay(Backoff(round), _time);
                continue;
            }

            if (_suspects.Count > 0)
            {
                await BringSuspectsLevelAsync();
            }

            if (untilProtected && (Protected || FencedBy is not null))
            {
                return; // a write waits for protection, not for every replica: the background tick adds missing ones back
            }

            var missing = _trackers.Where(t => !IsMember(t.Index)).ToList();
            if (missing.Count == 0 || FencedBy is not null)
            {
                if (Protected || FencedBy is not null || _time.GetUtcNow() >= deadline)
                {
                    return;
                }

                await Task.Delay(Backoff(round), _time);
                continue;
            }

            var joined = new List<InSyncMember>();
            var avoid = InSync.Members.Select(m => m.CardId).OfType<string>().Append(Cards.OwnCard).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var placeable = false;
            foreach (var tracker in missing)
            {
                var target = Cards.ChooseCard(avoid);
                if (target is null)
                {
                    tracker.LastError = "no live card other than the primary's and the other replicas' can hold it";
                    continue;
                }

                placeable = true;
                avoid.Add(target);
                if (await InstallAsync(_replicas[tracker.Index], target) is { CopyId: { } copy } ack)
                {
                    joined.Add(new InSyncMember(tracker.Index, copy, ack.CardId));
                }
            }

            if (joined.Count > 0 && FencedBy is null)
            {
                await RecordAsync([.. InSync.Members.Where(m => joined.All(j => j.Index != m.Index)), .. joined], $"{Describe(joined)} re-protected by snapshot");
            }

            if (FencedBy is not null || !placeable || Protected && joined.Count > 0 || _time.GetUtcNow() >= deadline)
            {
                return;
            }

            await Task.Delay(Backoff(round), _time);
        }
    }

    private static TimeSpan Backoff(int round) => TimeSpan.FromMilliseconds(Math.Min(25 << Math.Min(round, 4), 400));

    /// <summary>
    /// The background tick (grain timer, never interleaved with a commit): drops members whose card died, moves replicas
    /// off cards that must not hold them, re-protects, and keeps the recorded cards current. (Periodic flushes have their own timer.)
    /// </summary>
    public Task MaintainAsync() => ExclusiveAsync(async () =>
    {
        await MaintainCoreAsync();
        return true;
    });

    private async Task MaintainCoreAsync()
    {
        if (FencedBy is not null)
        {
            return;
        }

        Cards = _viewCards();
        var dead = InSync.Members.Where(m => m.CardId is { } card && !Cards.IsAlive(card) && !_suspects.Contains(m.Index)).ToList();
        if (dead.Count > 0)
        {
            await DropAsync(dead, "lost with its card");
        }

        await ProbeUnplacedAsync();
        await RelocateAsync();
        await ReprotectAsync(_time.GetUtcNow());

        var moved = InSync.Members.Select(m => (Member: m, Card: _trackers[m.Index].CardId)).Where(x => x.Card is not null && x.Card != x.Member.CardId).ToList();
        if (moved.Count > 0 && FencedBy is null && _unrecorded is null)
        {
            await RecordAsync(InSync.Members.Select(m => m with { CardId = _trackers[m.Index].CardId ?? m.CardId }).ToList(), "replica moved to another card");
        }
    }

    /// <summary>Periodic mode: sends buffered changes to every member; a member that fails leaves the set.</summary>
    public Task FlushAsync() => ExclusiveAsync(async () =>
    {
        await FlushCoreAsync();
        return true;
    });

    private async Task FlushCoreAsync()
    {
        if (_pending.Count == 0 || FencedBy is not null)
        {
            return;
        }

        var batch = new DeltaBatch<TDelta>(Ballot, _pendingFirstSeq, _pending) { BaseBallot = BaseBallot, BaseSeq = BaseSeq };
        _pending = [];
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await SendToMembersAsync(batch);
        _metrics?.ReplicationSent(batch.Deltas.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (Protected && FencedBy is null && _unrecorded is null)
        {
            ProtectedSeq = batch.LastSeq;
        }
    }

    /// <summary>
    /// A planned move (switchover, relocation) hands over only when every change is held by an in-sync set of at least
    /// the minimum (hole 9): null when it may go, else why not.
    /// </summary>
    public Task<string?> ReadyToHandOverAsync() => ExclusiveAsync(ReadyToHandOverCoreAsync);

    private async Task<string?> ReadyToHandOverCoreAsync()
    {
        await FlushCoreAsync();
        if (!Protected && !Settings.Has(ProtocolFlaws.MoveWithoutInSyncCheck))
        {
            await ReprotectAsync(_time.GetUtcNow() + Settings.ReprotectWait, untilProtected: true);
        }

        if (FencedBy is { } fenced)
        {
            return $"fenced: {fenced}";
        }

        if (Settings.Has(ProtocolFlaws.MoveWithoutInSyncCheck))
        {
            return null;
        }

        return !Protected ? DescribeProtection()
            : ProtectedSeq < Seq ? $"changes up to seq {Seq} are not all protected yet (protected up to {ProtectedSeq})"
            : null;
    }

    /// <summary>
    /// Suspect members take the current state by snapshot: one that keeps its copy is level again; one that answers with
    /// another copy (it lost its state) is recorded with its new copy.
    /// </summary>
    private async Task BringSuspectsLevelAsync()
    {
        var swapped = new List<InSyncMember>();
        foreach (var index in _suspects.ToList())
        {
            var member = InSync.Members.FirstOrDefault(m => m.Index == index);
            if (member is null)
            {
                _suspects.Remove(index);
                continue;
            }

            var avoid = InSync.Members.Where(m => m.Index != index).Select(m => m.CardId).Append(Cards.OwnCard).OfType<string>().ToList();
            var onLiveCard = member.CardId is { } card && Cards.IsAlive(card);
            var target = onLiveCard ? null : Cards.ChooseCard(avoid);
            if (!onLiveCard && target is null)
            {
                // Its card is gone and no card can take a new copy: calling it would only wait for placement (hole 8).
                _trackers[index].LastError = "its card is dead and no other card can hold a replica";
                continue;
            }

            if (await InstallAsync(_replicas[index], target) is { CopyId: { } copy } ack)
            {
                if (copy == member.CopyId)
                {
                    _suspects.Remove(index);
                }
                else
                {
                    swapped.Add(member with { CopyId = copy, CardId = ack.CardId });
                }
            }
        }

        if (swapped.Count > 0 && FencedBy is null)
        {
            if (await RecordAsync([.. InSync.Members.Where(m => swapped.All(x => x.Index != m.Index)), .. swapped], $"{Describe(swapped)} re-protected by snapshot (new copy)"))
            {
                _suspects.ExceptWith(swapped.Select(x => x.Index)); // their new copies took the current state: level, not behind
            }
        }

        // Suspects that could not be brought level leave the set by a recorded decision when the level members have the
        // minimum without them: the ledger accepts it only from the highest ballot, so a superseded primary learns it is
        // fenced here instead of counting on members a newer primary no longer restores from.
        var behind = InSync.Members.Where(m => _suspects.Contains(m.Index)).ToList();
        var level = Healthy.ToList();
        if (behind.Count > 0 && FencedBy is null && _unrecorded is null && HasMinimum(level))
        {
            await RecordAsync(level, $"{Describe(behind)} could not be brought level");
        }

        UpdateProtection();
        AdvanceProtection();
    }

    /// <summary>Asks members whose card is unknown (they just moved) where they are now, so the set's record stays right.</summary>
    private async Task ProbeUnplacedAsync()
    {
        foreach (var member in InSync.Members.Where(m => _trackers[m.Index].CardId is null).ToList())
        {
            try
            {
                var ack = await _replicas[member.Index].Promise(Ballot).WaitAsync(Settings.AckTimeout, _time);
                if (ack.Outcome == ReplicaOutcome.StaleBallot)
                {
                    Fence($"replica {member.Index} on card '{ack.CardId ?? "?"}' promised ballot {ack.Promised}, higher than this primary's {Ballot}");
                    return;
                }

                if (ack.CopyId == member.CopyId)
                {
                    _trackers[member.Index].CardId = ack.CardId;
                }
                else
                {
                    _suspects.Add(member.Index); // it lost its copy: bring it level by snapshot
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _trackers[member.Index].Failed(e);
            }
        }
    }

    /// <summary>Moves a member off the primary's card, off a card another member holds (when a free card exists), or off a card that may not hold it.</summary>
    private async Task RelocateAsync()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in InSync.Members.OrderBy(m => m.Index).ToList())
        {
            var card = _trackers[member.Index].CardId ?? member.CardId;
            if (card is null || !Cards.IsAlive(card) || _suspects.Contains(member.Index))
            {
                continue; // a copy on a dead card cannot move; re-protection replaces it
            }

            var why = card == Cards.OwnCard ? $"was on the primary's card '{card}'"
                : !seen.Add(card) ? $"shared card '{card}' with another replica"
                : !Cards.MayHold(card) ? $"was on card '{card}', which may not hold replicas now"
                : null;
            if (why is null)
            {
                continue;
            }

            var avoid = InSync.Members.Select(m => _trackers[m.Index].CardId ?? m.CardId).OfType<string>().Append(Cards.OwnCard).OfType<string>().ToList();
            if (Cards.ChooseCard(avoid) is not { } target)
            {
                continue; // nowhere better to go: stay (a degraded chassis)
            }

            try
            {
                // Migration carries the copy: the member stays in the set with its copy; its card is re-recorded on the next tick.
                await _replicas[member.Index].Relocate(target).WaitAsync(Settings.AckTimeout, _time);
                _trackers[member.Index].CardId = null;
                _trackers[member.Index].LastError = $"{why}: relocating to '{target}'";
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _trackers[member.Index].Failed(e);
            }
        }
    }

    /// <summary>Fault injection: marks every member's copy as poison.</summary>
    public Task PoisonAllAsync() => ExclusiveAsync(async () =>
    {
        await Task.WhenAll(InSync.Members.Select(m => _replicas[m.Index].Poison(Ballot)));
        return true;
    });

    /// <summary>
    /// Once every member of a big-enough set holds every change (re-protection installed the current state), the changes
    /// are protected — also those whose outcome was unknown, which may now be shown outside.
    /// </summary>
    private void AdvanceProtection()
    {
        if (Protected && Healthy.All(m => _trackers[m.Index].AckedSeq >= Seq))
        {
            ProtectedSeq = Seq;
            VisibleSeq = Math.Max(VisibleSeq, Seq);
        }
    }

    public IReadOnlyList<ReplicaInfo> Describe() => _trackers.Select(t => new ReplicaInfo
    {
        Index = t.Index,
        CardId = t.CardId ?? InSync.Members.FirstOrDefault(m => m.Index == t.Index)?.CardId,
        AckedSeq = t.AckedSeq,
        InSync = IsMember(t.Index) && !_suspects.Contains(t.Index) && _unrecorded is null,
        LastError = t.LastError,
    }).ToList();

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
}
