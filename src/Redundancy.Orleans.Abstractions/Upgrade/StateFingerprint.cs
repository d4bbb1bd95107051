namespace Redundancy.Orleans.Upgrade;

/// <summary>What a primary holds, for upgrade verification: its ballot and sequence number, and its state's fingerprint.</summary>
/// <param name="Ballot">The primary's ballot.</param>
/// <param name="Seq">The sequence number of the last change applied.</param>
/// <param name="Fingerprint">The state's <see cref="Replication.IVerifiableHotState.Fingerprint"/>; null when the state cannot say.</param>
[GenerateSerializer, Immutable]
public sealed record StateFingerprint(
    [property: Id(0)] long Ballot,
    [property: Id(1)] long Seq,
    [property: Id(2)] string? Fingerprint);
