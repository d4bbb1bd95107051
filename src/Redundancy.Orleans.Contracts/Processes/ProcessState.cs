namespace Redundancy.Orleans.Processes;

/// <summary>Life-cycle of a redundant process activation.</summary>
public enum ProcessState
{
    /// <summary>Not active on any card.</summary>
    Inactive = 0,

    /// <summary>Pulling its last state from the replicas (M7).</summary>
    Restoring = 1,

    /// <summary>Reconciling restored state with its associated processes (M8).</summary>
    Auditing = 2,

    /// <summary>Serving.</summary>
    Ready = 3,

    /// <summary>Stopped by the restart-intensity limit: its state keeps crashing it.</summary>
    Quarantined = 4,

    /// <summary>A newer primary took over (higher ballot); this activation refuses writes.</summary>
    Fenced = 5,

    /// <summary>
    /// No member of the in-sync set could be reached: the process does not start without them (beyond tolerance, or a
    /// card still coming back). It keeps trying; its status says which copies are missing; an operator can release it
    /// with a rebuild from its associated processes.
    /// </summary>
    Unavailable = 6,
}
