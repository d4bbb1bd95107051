namespace Redundancy.Orleans.Replication.Ledger;

/// <summary>
/// What the control plane keeps per process (I3, I5): the highest ballot any activation ever took and the latest in-sync
/// set. It lives in control-plane storage, so it survives the loss of every replica of the process: an empty restart
/// never reuses a ballot, and a restore knows which copies may be trusted.
/// </summary>
[GenerateSerializer]
internal sealed class LedgerRecord
{
    [Id(0)] public long HighestBallot { get; set; }

    [Id(1)] public InSyncSet InSync { get; set; } = new();

    /// <summary>Set by an operator's release with rebuild: the next activation starts empty and rebuilds from its associated processes.</summary>
    [Id(2)] public string? RebuildReason { get; set; }
}

/// <summary>What a new activation learns from the ledger when it takes its ballot.</summary>
[GenerateSerializer, Immutable]
internal sealed record LedgerTerm(
    [property: Id(0)] long Ballot,
    [property: Id(1)] InSyncSet InSync,
    [property: Id(2)] string? RebuildReason);

/// <summary>How the ledger answered a change of the in-sync set.</summary>
internal enum LedgerOutcome
{
    /// <summary>Recorded (or had already been recorded by the same request).</summary>
    Accepted = 0,

    /// <summary>A higher ballot exists: the caller is no longer the primary (I5).</summary>
    Superseded = 1,

    /// <summary>The set changed since the caller read it (its version differs).</summary>
    Conflict = 2,
}

/// <summary>The ledger's answer to a change of the in-sync set, with what it now holds.</summary>
[GenerateSerializer, Immutable]
internal sealed record LedgerAnswer(
    [property: Id(0)] LedgerOutcome Outcome,
    [property: Id(1)] long HighestBallot,
    [property: Id(2)] InSyncSet InSync);

/// <summary>The ledger's rules, free of Orleans: the grain and the protocol simulator apply the same ones.</summary>
internal static class LedgerRules
{
    /// <summary>A new activation takes the next ballot (unique: the record is written by compare-and-swap).</summary>
    public static LedgerTerm Begin(LedgerRecord record)
    {
        record.HighestBallot++;
        return new LedgerTerm(record.HighestBallot, record.InSync, record.RebuildReason);
    }

    /// <summary>
    /// Records a new in-sync set for <paramref name="ballot"/> if it is still the highest ballot and the set is still at
    /// <paramref name="expectedVersion"/>. A retry of a request that was recorded but whose answer was lost is accepted
    /// again. Returns true when <paramref name="record"/> changed (and must be written).
    /// </summary>
    public static (LedgerAnswer Answer, bool Changed) ChangeInSync(LedgerRecord record, long ballot, long expectedVersion, IReadOnlyList<InSyncMember> members, long seq)
    {
        if (ballot != record.HighestBallot)
        {
            return (new LedgerAnswer(LedgerOutcome.Superseded, record.HighestBallot, record.InSync), false);
        }

        var current = record.InSync;
        if (current.Version == expectedVersion + 1 && current.Ballot == ballot && current.SameMembers(members))
        {
            return (new LedgerAnswer(LedgerOutcome.Accepted, record.HighestBallot, current), false);
        }

        if (current.Version != expectedVersion)
        {
            return (new LedgerAnswer(LedgerOutcome.Conflict, record.HighestBallot, current), false);
        }

        record.InSync = new InSyncSet { Version = expectedVersion + 1, Ballot = ballot, Members = members.OrderBy(m => m.Index).ToArray(), Seq = seq };
        if (members.Count > 0)
        {
            record.RebuildReason = null; // a rebuilt primary whose state reached replicas has rebuilt
        }
        return (new LedgerAnswer(LedgerOutcome.Accepted, record.HighestBallot, record.InSync), true);
    }
}
