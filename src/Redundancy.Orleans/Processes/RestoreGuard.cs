using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Processes;

/// <summary>
/// Decides whether a restore may go on with what the replicas answered. If not one replica answered, and
/// not because no card can hold one, a copy may exist that cannot be reached right now: starting empty
/// would then overwrite it, since fencing refills the replicas from the (empty) primary.
/// </summary>
internal static class RestoreGuard
{
    public readonly record struct Answer<TState>(HotStateSnapshot<TState>? Snapshot, bool NoCardForReplica, string? Error);

    public static string? RefusalReason<TState>(string process, IReadOnlyCollection<Answer<TState>> answers) =>
        answers.Count > 0 && answers.All(a => a.Snapshot is null) && answers.Any(a => !a.NoCardForReplica)
            ? $"Process '{process}' cannot restore: none of its {answers.Count} replica(s) answered ({string.Join("; ", answers.Select(a => a.Error))}); refusing to start empty."
            : null;
}
