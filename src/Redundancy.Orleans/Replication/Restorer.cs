using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication.Ledger;

namespace Redundancy.Orleans.Replication;

/// <summary>What a restore produced: the ballot this activation serves under and the copy it continues from.</summary>
internal sealed record RestoreResult<TState>(
    long Ballot,
    TState State,
    long DataBallot,
    long Seq,
    InSyncSet InSync,
    string Source,
    string? RebuildReason = null)
{
    /// <summary>The copy was marked as poison (fault injection): restoring it crashes the process.</summary>
    public bool Poisoned { get; init; }
}

/// <summary>
/// The restore of a new primary activation (M7, I4, I5), free of Orleans: take a unique ballot from the ledger, have the
/// members of the latest in-sync set promise it (no lower ballot can write to them afterwards), take the freshest copy
/// among the members that answered by <c>(data ballot, seq)</c>, bring the members that answered up to it, and record
/// the set that now holds it. A member that does not answer is waited for up to <see cref="ReplicationSettings.RestoreWait"/>;
/// when no member can answer (every copy lost: beyond tolerance) the restore refuses and says which copies are missing.
/// </summary>
internal sealed class Restorer<TState, TDelta>(
    string process,
    ReplicationSettings settings,
    IReadOnlyList<IReplicaChannel<TState, TDelta>> replicas,
    ILedgerClient ledger,
    IReplicaCards cards,
    TimeProvider time)
    where TState : IHotState<TDelta>, new()
{
    /// <summary>Why each replica was not used, for the refusal and the status.</summary>
    public List<string> Notes { get; } = [];

    public async Task<RestoreResult<TState>> RestoreAsync()
    {
        var deadline = time.GetUtcNow() + settings.RestoreWait;
        for (var round = 0; ; round++)
        {
            Notes.Clear();

            // Before taking a ballot, make sure a member of the in-sync set can answer: a new ballot fences the serving
            // primary, and an activation that then cannot restore (its members unreachable, say a duplicate activation
            // while a replica card hangs) would leave the process with no primary at all (found by the simulator).
            if (!settings.Has(ProtocolFlaws.RestoreFromAnyReplica) && await ReachableMembersAsync(skipDeadCards: round == 0) is { } unreachable)
            {
                if (time.GetUtcNow() >= deadline)
                {
                    throw Refuse(unreachable, "no member of its in-sync set answered");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 << Math.Min(round, 4), 800)), time);
                continue;
            }

            var term = await BeginAsync();
            if (term.RebuildReason is { } rebuild)
            {
                return await StartEmptyAsync(term, $"rebuild requested: {rebuild}");
            }

            if (term.InSync.Members.Count == 0 && !settings.Has(ProtocolFlaws.RestoreFromAnyReplica))
            {
                if (term.InSync.Seq > 0)
                {
                    throw Refuse(term, $"its in-sync set has been empty since seq {term.InSync.Seq}: no replica holds every change (beyond tolerance)");
                }

                return await StartEmptyAsync(term, "nothing to restore (a new process)");
            }

            var asked = settings.Has(ProtocolFlaws.RestoreFromAnyReplica)
                ? replicas.Select(r => (Replica: r, Member: (InSyncMember?)null)).ToList()
                : term.InSync.Members.Where(m => m.Index < replicas.Count && (round > 0 || Reachable(m))).Select(m => (Replica: replicas[m.Index], Member: (InSyncMember?)m)).ToList();
            var answers = await Task.WhenAll(asked.Select(a => PromiseAsync(a.Replica, term.Ballot)));
            if (answers.Any(a => a is { Outcome: ReplicaOutcome.StaleBallot }))
            {
                var higher = answers.Where(a => a is { Outcome: ReplicaOutcome.StaleBallot }).Max(a => a!.Value.Promised);
                throw new RedundancyException(RedundancyErrorKind.NotServing, $"Process '{process}': a newer activation (ballot {higher}) took over while this one (ballot {term.Ballot}) restored.");
            }

            var eligible = asked.Zip(answers)
                .Where(x => x.Second is { HasState: true } ack && (x.First.Member is null || ack.CopyId == x.First.Member.CopyId))
                .Select(x => (x.First.Replica, Ack: x.Second!.Value))
                .ToList();
            foreach (var (a, ack) in asked.Zip(answers))
            {
                if (ack is { } answered && a.Member is { } m && (answered.CopyId != m.CopyId || !answered.HasState))
                {
                    Notes.Add($"r{m.Index}: holds another copy now ({answered.CopyId ?? "empty"}, not {m.CopyId}): its card lost it");
                }
            }

            if (settings.Has(ProtocolFlaws.RestoreFromAnyReplica) && eligible.Count == 0 && answers.Any(a => a is not null))
            {
                return await StartEmptyAsync(term, "every replica that answered was empty");
            }

            foreach (var (replica, ack) in Order(eligible))
            {
                var snapshot = await SnapshotAsync(replica, term.Ballot, ack);
                if (snapshot is not null)
                {
                    return await AdoptAsync(term, snapshot, eligible, replica.Index);
                }
            }

            if (time.GetUtcNow() >= deadline || asked.Count == 0)
            {
                throw Refuse(term, "no member of its in-sync set answered with its copy");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 << Math.Min(round, 4), 800)), time);
        }
    }

    /// <summary>Freshest first: by data ballot, then seq (the old rule, seq first, is a simulator flaw).</summary>
    private IEnumerable<(IReplicaChannel<TState, TDelta> Replica, ReplicaAck Ack)> Order(IEnumerable<(IReplicaChannel<TState, TDelta> Replica, ReplicaAck Ack)> copies) =>
        CopyOrder.Freshest(copies, c => c.Ack.DataBallot, c => c.Ack.Seq, settings.Has(ProtocolFlaws.FreshestBySeqFirst)).ThenBy(c => c.Replica.Index);

    /// <summary>
    /// Continues from <paramref name="copy"/>: members that answered with an older copy take it by snapshot (stamped with
    /// this ballot) before the set is recorded; the set becomes the members that hold it.
    /// </summary>
    private async Task<RestoreResult<TState>> AdoptAsync(LedgerTerm term, HotStateSnapshot<TState> copy, List<(IReplicaChannel<TState, TDelta> Replica, ReplicaAck Ack)> eligible, int source)
    {
        var holders = new List<InSyncMember>();
        foreach (var (replica, ack) in eligible)
        {
            if (ack.DataBallot == copy.Ballot && ack.Seq == copy.Seq)
            {
                holders.Add(new InSyncMember(replica.Index, ack.CopyId!, ack.CardId));
                continue;
            }

            // Behind the copy taken: bring it level now, stamped with this ballot (a change this primary makes continues it).
            try
            {
                var installed = await replica.Install(new HotStateSnapshot<TState>(term.Ballot, copy.Seq, copy.State, copy.Poisoned), null, settings.RestoreTimeout);
                if (installed is { Outcome: ReplicaOutcome.Applied, CopyId: { } copyId } && installed.Seq == copy.Seq)
                {
                    holders.Add(new InSyncMember(replica.Index, copyId, installed.CardId));
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Notes.Add($"r{replica.Index}: could not be brought level: {e.Message}");
            }
        }

        var inSync = term.InSync;
        if (!inSync.SameMembers(holders) || settings.Has(ProtocolFlaws.RestoreFromAnyReplica))
        {
            var answer = await ledger.ChangeInSync(term.Ballot, inSync.Version, holders, copy.Seq).WaitAsync(settings.RestoreTimeout, time);
            if (answer.Outcome != LedgerOutcome.Accepted)
            {
                throw new RedundancyException(RedundancyErrorKind.NotServing, $"Process '{process}': the ledger refused the restored in-sync set ({answer.Outcome}, highest ballot {answer.HighestBallot}).");
            }

            inSync = answer.InSync;
        }

        var (from, transfer) = eligible.Where(e => e.Replica.Index == source).Select(e => (e.Ack.CardId ?? "?", e.Replica.LastTransfer)).First();
        return new RestoreResult<TState>(term.Ballot, copy.State, copy.Ballot, copy.Seq, inSync, $"replica {source} on card {from}{(transfer is null ? "" : ", " + transfer)}") { Poisoned = copy.Poisoned };
    }

    private async Task<RestoreResult<TState>> StartEmptyAsync(LedgerTerm term, string why)
    {
        // The members of the old set (a rebuild) promise this ballot, so that no older primary gets their acknowledgement again.
        await Task.WhenAll(term.InSync.Members.Where(m => m.Index < replicas.Count && Reachable(m)).Select(m => PromiseAsync(replicas[m.Index], term.Ballot)));
        var inSync = term.InSync;
        if (inSync.Members.Count > 0)
        {
            var answer = await ledger.ChangeInSync(term.Ballot, inSync.Version, [], 0).WaitAsync(settings.RestoreTimeout, time);
            if (answer.Outcome != LedgerOutcome.Accepted)
            {
                throw new RedundancyException(RedundancyErrorKind.NotServing, $"Process '{process}': the ledger refused the empty start ({answer.Outcome}).");
            }

            inSync = answer.InSync;
        }

        // The empty state is this ballot's: it supersedes every copy an earlier activation wrote (hole 6).
        return new RestoreResult<TState>(term.Ballot, new TState(), term.Ballot, 0, inSync, why, term.RebuildReason);
    }

    private async Task<LedgerTerm> BeginAsync()
    {
        if (!settings.Has(ProtocolFlaws.BallotFromReplicas))
        {
            return await ledger.Begin().WaitAsync(settings.RestoreTimeout, time);
        }

        // The old rule: one more than the highest ballot the replicas promised.
        var record = await ledger.Read().WaitAsync(settings.RestoreTimeout, time);
        var seen = await Task.WhenAll(replicas.Select(r => PromiseAsync(r, 0)));
        return record with { Ballot = seen.Select(s => s?.Promised ?? 0).DefaultIfEmpty(0).Max() + 1 };
    }

    /// <summary>Null when the in-sync set is empty or one of its members answers with its copy (no ballot is taken); else the record.</summary>
    /// <remarks>
    /// The first round skips members whose recorded card is dead (the usual case: the copy died with it). Later rounds ask
    /// them too: a member that moved may not have had its new card recorded yet (found by the simulator), and asking
    /// reaches it wherever it is.
    /// </remarks>
    private async Task<LedgerTerm?> ReachableMembersAsync(bool skipDeadCards)
    {
        var record = await ledger.Read().WaitAsync(settings.RestoreTimeout, time);
        if (record.InSync.Members.Count == 0 || record.RebuildReason is not null)
        {
            return null;
        }

        var members = record.InSync.Members.Where(m => m.Index < replicas.Count && (!skipDeadCards || Reachable(m))).ToList();
        var answers = await Task.WhenAll(members.Select(m => PromiseAsync(replicas[m.Index], 0)));
        return members.Zip(answers).Any(x => x.Second is { HasState: true } a && a.CopyId == x.First.CopyId) ? null : record;
    }

    private bool Reachable(InSyncMember member)
    {
        if (member.CardId is { } card && !cards.IsAlive(card))
        {
            Notes.Add($"r{member.Index}: its copy {member.CopyId} was on card {card}, which is dead");
            return false;
        }

        return true;
    }

    private async Task<ReplicaAck?> PromiseAsync(IReplicaChannel<TState, TDelta> replica, long ballot)
    {
        try
        {
            return await replica.Promise(ballot).WaitAsync(settings.RestoreTimeout, time);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Notes.Add($"r{replica.Index}: {(e is TimeoutException ? $"no answer within {settings.RestoreTimeout.TotalMilliseconds:0} ms" : e.Message)}");
            return null;
        }
    }

    private async Task<HotStateSnapshot<TState>?> SnapshotAsync(IReplicaChannel<TState, TDelta> replica, long ballot, ReplicaAck promised)
    {
        try
        {
            // RestoreTimeout bounds each chunk of the copy, not the whole of a full table's.
            var snapshot = await replica.GetSnapshot(ballot, settings.RestoreTimeout);
            if (snapshot.Ballot == promised.DataBallot && snapshot.Seq == promised.Seq && snapshot.CopyId == promised.CopyId)
            {
                return snapshot;
            }

            Notes.Add($"r{replica.Index}: its copy changed between the promise and the snapshot");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Notes.Add($"r{replica.Index}: snapshot failed: {e.Message}");
        }

        return null;
    }

    private RedundancyException Refuse(LedgerTerm term, string why) =>
        new(RedundancyErrorKind.Unavailable,
            $"Process '{process}' cannot restore: {why}. In-sync set v{term.InSync.Version}: " +
            (term.InSync.Members.Count == 0 ? "no members" : string.Join(", ", term.InSync.Members.Select(m => $"r{m.Index} (copy {m.CopyId} on card {m.CardId ?? "?"})"))) +
            (Notes.Count > 0 ? $". {string.Join("; ", Notes)}" : "") +
            ". It stays unavailable rather than start without them; an operator can release it with a rebuild from its associated processes.");
}
