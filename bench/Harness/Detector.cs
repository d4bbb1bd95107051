namespace Redundancy.Orleans.Bench.Harness;

/// <summary>
/// A failure-detection configuration of the chassis, measured side by side in the card-kill scenario so that one run
/// shows the shipped settings against the ones they replaced (issue 12).
/// </summary>
internal sealed record Detector(string Name, string Description, IReadOnlyList<string> ChassisArguments)
{
    /// <summary>The chassis defaults.</summary>
    public static readonly Detector Default = new("default", "the chassis defaults", []);

    /// <summary>The settings before issue 12: fast probes, two votes, no closed-port evidence, unpaced restores.</summary>
    public static readonly Detector Previous = new("previous", "before issue 12: 1 s probe timeout, 2 missed probes, 2 votes, no closed-port evidence, restores unpaced",
    [
        "--Chassis:ProbeTimeout=00:00:01", "--Chassis:NumMissedProbesLimit=2", "--Chassis:NumVotesForDeathDeclaration=2",
        "--Chassis:DeathVoteExpirationTimeout=00:02:00", "--Chassis:ClosedPortDetection=false", "--Redundancy:MaxConcurrentRestores=1000",
    ]);

    public static IReadOnlyList<Detector> All { get; } = [Default, Previous];
}
