namespace Redundancy.Orleans.Replication;

/// <summary>One member of a process's in-sync set: a replica, the copy it held when it joined, and its card then.</summary>
[GenerateSerializer, Immutable]
public sealed record InSyncMember(
    [property: Id(0)] int Index,
    [property: Id(1)] string CopyId,
    [property: Id(2)] string? CardId);

/// <summary>
/// The replicas that hold every change acknowledged as protected (I1). It changes only by a decision recorded in the
/// process ledger (I3): <see cref="Version"/> grows by one with each decision and is never reused for another set.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record InSyncSet
{
    /// <summary>Grows with every recorded change; 0 before the first.</summary>
    [Id(0)] public long Version { get; init; }

    /// <summary>The ballot of the primary that recorded this set.</summary>
    [Id(1)] public long Ballot { get; init; }

    /// <summary>The members, by replica index.</summary>
    [Id(2)] public IReadOnlyList<InSyncMember> Members { get; init; } = Array.Empty<InSyncMember>(); // an array: storage serialisers read it back

    /// <summary>The primary's seq when it recorded the set (a change at or below it was held by every member).</summary>
    [Id(3)] public long Seq { get; init; }

    /// <summary>True when the members are the same replicas holding the same copies.</summary>
    public bool SameMembers(IReadOnlyCollection<InSyncMember> other) =>
        Members.Count == other.Count && Members.All(m => other.Any(o => o.Index == m.Index && o.CopyId == m.CopyId));
}
