namespace Redundancy.Orleans.Replication;

/// <summary>
/// Which of two copies of a process's state is fresher (I4): the one written by the higher ballot, then the higher seq.
/// Restore and upgrade verification use this one rule.
/// </summary>
internal static class CopyOrder
{
    public static bool IsFresher(long ballot, long seq, long thanBallot, long thanSeq) => ballot > thanBallot || ballot == thanBallot && seq > thanSeq;

    /// <summary>Freshest first; <paramref name="seqFirst"/> is the old, wrong rule (a simulator flaw).</summary>
    public static IOrderedEnumerable<T> Freshest<T>(IEnumerable<T> copies, Func<T, long> ballot, Func<T, long> seq, bool seqFirst = false) =>
        seqFirst
            ? copies.OrderByDescending(seq).ThenByDescending(ballot)
            : copies.OrderByDescending(ballot).ThenByDescending(seq);
}
