namespace Redundancy.Orleans.Processes;

/// <summary>Management surface every redundant process (primary) has.</summary>
public interface IRedundantProcess : IGrainWithStringKey
{
    /// <summary>Activates the process if needed (the card manager keeps its card's processes active).</summary>
    Task Ping();

    /// <summary>Status for the management plane.</summary>
    Task<ProcessStatus> GetStatus();

    /// <summary>
    /// Fault injection (M6): drops the in-memory state as a crash would and deactivates. With
    /// <paramref name="poison"/>, the replicated state is marked so that every restore crashes again
    /// (exercises the restart-intensity limit and quarantine).
    /// </summary>
    Task Crash(bool poison = false);

    /// <summary>
    /// Operator action: lifts a quarantine. The process restarts at once and restores from its replicas
    /// (if its state is still what crashes it, the restart-intensity limit quarantines it again).
    /// </summary>
    /// <exception cref="RedundancyException">The process is not quarantined (NotServing).</exception>
    Task Release();
}
