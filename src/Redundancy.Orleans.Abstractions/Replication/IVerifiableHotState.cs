namespace Redundancy.Orleans.Replication;

/// <summary>
/// A hot state that upgrade verification (U1) can compare across builds. Optional: a state without it is still shadow
/// restored (fetched, decoded and converted by the new build, which is what a restore would do), only not compared with
/// what the primary holds.
/// </summary>
public interface IVerifiableHotState
{
    /// <summary>The state schema this copy was written in, as decoded (0 when the state has no versioned schema).</summary>
    int LoadedSchema { get; }

    /// <summary>
    /// A digest of what the state holds, independent of how a build encodes it: equal content gives an equal fingerprint in
    /// every build, so an old build's primary and a new build's shadow restore of the same sequence number can be compared.
    /// </summary>
    string Fingerprint();
}
