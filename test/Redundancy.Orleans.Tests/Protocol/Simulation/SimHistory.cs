using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Tests.Protocol.Simulation;

/// <summary>How one write ended, as its client saw it (the simulator's and the real-process nemesis's checkers).</summary>
internal enum WriteOutcome
{
    Pending,
    Protected,
    Unprotected,
    UnprotectedUntilFlushed,
    /// <summary>Definitely not applied: refused as not protected, not serving, restarting.</summary>
    Refused,

    /// <summary>Indeterminate: outcome unknown, no answer.</summary>
    Unknown,
}

internal sealed class SimWrite
{
    public required int Key { get; init; }

    public required long Value { get; init; }

    public required int Index { get; init; }

    public required long IssuedAt { get; init; }

    public long DoneAt { get; set; } = long.MaxValue;

    public WriteOutcome Outcome { get; set; }

    /// <summary>The primary activation that answered.</summary>
    public SimPrimary? By { get; set; }

    public string? Detail { get; set; }

    public bool Succeeded => Outcome is WriteOutcome.Protected or WriteOutcome.Unprotected or WriteOutcome.UnprotectedUntilFlushed;
}

internal sealed record SimRead(int Key, long? Value, long StartedAt, long EndedAt, bool Current, string By);

/// <summary>What happened in one run, as the checker needs it; every violation says what, where and when.</summary>
internal sealed class SimHistory(SimWorld world)
{
    public List<SimWrite> Writes { get; } = [];

    public List<SimRead> Reads { get; } = [];

    /// <summary>When each primary activation first failed (crash, card loss, superseded by a newer ballot).</summary>
    public Dictionary<SimPrimary, long> FaultedAt { get; } = [];

    public Dictionary<(int Key, long Value), long> FirstPublished { get; } = [];

    public List<string> Violations { get; } = [];

    public List<string> Log { get; } = [];

    public void Note(string what) => Log.Add($"{Ms(world.S.Now)} {what}");

    public void CardFailed(SimNode card) => Note($"{card.Id}: {(card.DeclaredDead ? "declared dead" : "failed")}");

    public void PrimaryFault(SimPrimary primary, string what)
    {
        FaultedAt.TryAdd(primary, world.S.Now);
        Note($"{primary.Node.Id} (ballot {primary.Ballot}): {what}");
    }

    public void PlannedMove(SimPrimary from, SimNode to) => Note($"{from.Node.Id} (ballot {from.Ballot}) handed over to {to.Id}");

    public void Restored(SimPrimary primary, RestoreResult<RegisterState> restored)
    {
        Restores.Add((restored.Ballot, primary.Node.Id, new Dictionary<int, long>(restored.State.Values), world.S.Now));
        if (restored.Ballot < world.Ledger.Record.HighestBallot)
        {
            PrimaryFault(primary, $"restored ballot {restored.Ballot} while ballot {world.Ledger.Record.HighestBallot} had begun (superseded at birth)");
        }

        Note($"{primary.Node.Id} restored ballot {restored.Ballot} from {restored.Source} (data ballot {restored.DataBallot}, seq {restored.Seq}, in-sync v{restored.InSync.Version}: {string.Join(",", restored.InSync.Members.Select(m => $"r{m.Index}/{m.CopyId}@{m.CardId}"))})");
    }

    /// <summary>Writes a primary acknowledged as protected, with its ballot (checked against every later ballot's restore).</summary>
    public List<(long Ballot, int Key, long Value, long At)> ProtectedAcks { get; } = [];

    /// <summary>What each activation restored: its ballot and state.</summary>
    public List<(long Ballot, string By, Dictionary<int, long> State, long At)> Restores { get; } = [];

    public void ProtectedAck(SimPrimary primary, long ballot, RegisterDelta delta) => ProtectedAcks.Add((ballot, delta.Key, delta.Value, world.S.Now));

    public void Published(SimPrimary primary, int key, long value)
    {
        if (FirstPublished.TryAdd((key, value), world.S.Now) && SimBudget.Trace)
        {
            Note($"{primary.Node.Id} (ballot {primary.Ballot}) shows k{key}={value} outside");
        }
    }

    public static string Ms(long ticks) => $"{TimeSpan.FromTicks(ticks).TotalMilliseconds:0.0}ms";
}
