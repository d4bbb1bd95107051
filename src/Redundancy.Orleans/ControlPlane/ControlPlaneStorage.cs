namespace Redundancy.Orleans.ControlPlane;

/// <summary>
/// The grain storage of the control plane: what must outlive any line card — the process ledger (ballots and
/// in-sync sets, I3/I5), event and audit history, the upgrade campaign's last saved record. It shares the fate of
/// the membership table: in the embedded chassis it is memory on the control silo (which also holds membership),
/// in cluster mode Redis (which also holds membership). Nothing on the replication hot path writes to it.
/// </summary>
public static class ControlPlaneStorage
{
    /// <summary>The storage provider name the runtime's control-plane grains use: <c>redundancy-control</c>.</summary>
    public const string Name = "redundancy-control";
}
