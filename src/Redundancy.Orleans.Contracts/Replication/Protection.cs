namespace Redundancy.Orleans.Replication;

/// <summary>How well an acknowledged change is protected (the durability contract, I1/I2).</summary>
public enum Protection
{
    /// <summary>Every member of the in-sync set holds the change, and the set has at least the required members.</summary>
    Protected = 0,

    /// <summary>
    /// Accepted by the primary alone (the process prefers availability and its in-sync set is below the minimum): a
    /// fault of the primary before re-protection loses it.
    /// </summary>
    Unprotected = 1,

    /// <summary>Periodic mode: held by the primary and its forwarding table; protected by the next flush, before the flush deadline.</summary>
    UnprotectedUntilFlushed = 2,
}
