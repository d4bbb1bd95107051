namespace Redundancy.Orleans.Cards;

/// <summary>Where the embedded chassis is in its start-up.</summary>
public enum StartupState
{
    /// <summary>Cards are starting; waiting for every process to be ready.</summary>
    Starting = 0,

    /// <summary>Loading the start-up workload (routes) into the processes.</summary>
    Loading = 1,

    /// <summary>Start-up is over and everything was loaded.</summary>
    Complete = 2,

    /// <summary>Start-up is over, but some of it could not be done (see <see cref="StartupStatus.Problems"/>); the chassis runs.</summary>
    Incomplete = 3,
}

/// <summary>
/// The embedded chassis's start-up (<c>startup</c> in <c>GET /api/chassis</c>): cards started, processes ready, workload
/// loaded. A card fault during start-up never stops the chassis: what could not be done is listed here.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StartupStatus
{
    /// <summary>Where start-up is.</summary>
    [Id(0)] public StartupState State { get; set; }

    /// <summary>Processes whose start-up workload is fully loaded.</summary>
    [Id(1)] public int ProcessesLoaded { get; set; }

    /// <summary>Processes in the workload.</summary>
    [Id(2)] public int Processes { get; set; }

    /// <summary>Entries of the start-up workload acknowledged so far (routes, for the routing application).</summary>
    [Id(3)] public long EntriesLoaded { get; set; }

    /// <summary>Batches sent again because their process was restarting or moving (a card fault during the load).</summary>
    [Id(4)] public int Retries { get; set; }

    /// <summary>What could not be done, one line each (process, what was missing, why).</summary>
    [Id(5)] public IReadOnlyList<string> Problems { get; set; } = [];

    /// <summary>When start-up ended (Complete or Incomplete).</summary>
    [Id(6)] public DateTimeOffset? CompletedAt { get; set; }
}
