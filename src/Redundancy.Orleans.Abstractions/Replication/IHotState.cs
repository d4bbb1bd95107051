namespace Redundancy.Orleans.Replication;

/// <summary>
/// The in-memory "hot state" of a redundant process (M2): changed only by applying deltas, so a
/// replica that applies the same deltas in the same order holds the same state.
/// Implementations must be <c>[GenerateSerializer]</c> (snapshots cross the wire) and deterministic.
/// </summary>
/// <typeparam name="TDelta">The change operation.</typeparam>
public interface IHotState<in TDelta>
{
    /// <summary>Applies one change. Must not throw for a delta the primary already applied successfully.</summary>
    void Apply(TDelta delta);

    /// <summary>A size figure for status (for example the number of routes).</summary>
    int Size { get; }
}
