using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Client.Upgrade;

/// <summary>The result of the health gates: what is wrong now, and whether waiting can fix it.</summary>
public sealed record GateResult(IReadOnlyList<string> Waiting, IReadOnlyList<string> Failed)
{
    /// <summary>Every gate passed.</summary>
    public bool Passed => Waiting.Count == 0 && Failed.Count == 0;

    /// <summary>One line.</summary>
    public override string ToString() => Passed ? "all gates pass" : string.Join("; ", Failed.Concat(Waiting));
}

/// <summary>
/// Health gates between upgrade steps (U1). Waiting: every process ready, protected (replicas in sync) and
/// every card alive, no process replica left on a card that serves no slot (a vacated card is stopped next), the
/// control plane with an in-sync copy on a serving card — these settle after a step. Failed at once: a process
/// restarted during the campaign (crash loop), a quarantine, or an audit that left discrepancies it could not
/// repair, found a protocol violation or could not recover changes.
/// </summary>
public static class HealthGates
{
    /// <summary>Evaluates the gates on <paramref name="status"/>; restarts are compared with <paramref name="baselineRestarts"/>.</summary>
    public static GateResult Check(ChassisStatus status, IReadOnlyDictionary<string, int> baselineRestarts)
    {
        var waiting = new List<string>();
        var failed = new List<string>();
        foreach (var card in status.Cards.Where(c => !c.Alive && c.Role != CardRoles.Control))
        {
            waiting.Add($"card {card.CardId} is down");
        }

        if (status.ChassisManager is { State: not ProcessState.Ready } manager)
        {
            waiting.Add($"the chassis manager is {manager.State.ToString().ToLowerInvariant()}");
        }

        var serving = status.Cards.Where(c => c.Alive && c.Role == CardRoles.Line).Select(c => c.CardId).ToHashSet(StringComparer.Ordinal);
        foreach (var p in status.Processes)
        {
            foreach (var r in p.Replicas.Where(r => r.CardId is { } card && !serving.Contains(card)))
            {
                waiting.Add($"{p.Name}'s replica {r.Index} is still on {r.CardId}, which serves no slot");
            }
        }

        // The control plane may keep replicas on spares (I7); stopping a spare must still leave it a copy on a serving card.
        if (status.ChassisManager is { State: ProcessState.Ready } cm
            && !(cm.Protected && cm.Replicas.Any(r => r.InSync && r.CardId is { } card && serving.Contains(card))))
        {
            waiting.Add($"the chassis manager has no in-sync replica on a card serving a slot ({string.Join(", ", cm.Replicas.Select(r => $"replica {r.Index} on {r.CardId ?? "?"}{(r.InSync ? "" : " catching up")}"))})");
        }

        foreach (var p in status.Processes)
        {
            if (p.State == ProcessState.Quarantined)
            {
                failed.Add($"{p.Name} is quarantined: {p.Reason}");
                continue;
            }

            if (p.Restarts > baselineRestarts.GetValueOrDefault(p.Name))
            {
                failed.Add($"{p.Name} restarted {p.Restarts - baselineRestarts.GetValueOrDefault(p.Name)} time(s) during the campaign{(p.Reason is null ? "" : ": " + p.Reason)}");
            }

            if (p.LastAudit is { } audit && audit.Missing + audit.Stale + audit.Wrong > audit.Repaired)
            {
                failed.Add($"{p.Name}'s last audit left {audit.Missing + audit.Stale + audit.Wrong - audit.Repaired} discrepancies unrepaired");
            }

            if (p.LastAudit is { Violations: > 0 } violated)
            {
                failed.Add($"{p.Name}'s last audit found a protocol violation: {violated.Violations} acknowledged change(s) missing from the restored state");
            }

            if (p.LastAudit is { Unrecoverable: > 0 } lost)
            {
                failed.Add($"{p.Name}'s last audit could not recover {lost.Unrecoverable} change(s)");
            }

            if (p.State != ProcessState.Ready)
            {
                waiting.Add($"{p.Name} is {p.State.ToString().ToLowerInvariant()} on {p.CardId ?? "no card"}");
            }
            else if (!p.Protected)
            {
                waiting.Add($"{p.Name} is unprotected ({string.Join(", ", p.Replicas.Where(r => !r.InSync).Select(r => $"replica {r.Index}: {r.LastError ?? "catching up"}"))})");
            }
        }

        return new GateResult(waiting, failed);
    }

    /// <summary>Restarts per process now, as the baseline of the next phase.</summary>
    public static Dictionary<string, int> Restarts(ChassisStatus status) =>
        status.Processes.ToDictionary(p => p.Name, p => p.Restarts, StringComparer.Ordinal);
}
