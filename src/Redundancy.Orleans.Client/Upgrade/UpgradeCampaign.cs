using System.Text.Json;

namespace Redundancy.Orleans.Client.Upgrade;

/// <summary>
/// Where a campaign is (U1): Prepared → Verified → Activating → WaitingForCommit → Committed, with
/// RollingBack → RolledBack reachable until commit.
/// </summary>
public enum CampaignPhase
{
    /// <summary>Created; the spare is being upgraded and the build verified.</summary>
    Prepared,

    /// <summary>The new build restored every process's state in shadow and its interfaces are compatible.</summary>
    Verified,

    /// <summary>Slots are switched over card by card.</summary>
    Activating,

    /// <summary>Every card runs the new version; waiting for commit or the fallback timer.</summary>
    WaitingForCommit,

    /// <summary>Done; the old version is no longer a rollback target.</summary>
    Committed,

    /// <summary>Going back to the original version (cancel, failed gate, fallback timer, refused verification).</summary>
    RollingBack,

    /// <summary>Back on the original version.</summary>
    RolledBack,
}

/// <summary>Settings of a campaign, fixed at start.</summary>
public sealed record CampaignSettings
{
    /// <summary>Commit as soon as every card runs the new version and the gates pass.</summary>
    public bool AutoCommit { get; init; }

    /// <summary>How long to wait for a commit once every card runs the new version; then roll back.</summary>
    public TimeSpan FallbackTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a health gate may take to pass before the campaign rolls back.</summary>
    public TimeSpan GateTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a card may take to stop, start and join.</summary>
    public TimeSpan CardTimeout { get; init; } = TimeSpan.FromSeconds(90);
}

/// <summary>One thing the campaign did, for the record and the timeline.</summary>
public sealed record CampaignStep
{
    /// <summary>When it finished.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Phase it belonged to.</summary>
    public CampaignPhase Phase { get; init; }

    /// <summary>What was done.</summary>
    public required string Action { get; init; }

    /// <summary>How long it took.</summary>
    public double Ms { get; init; }
}

/// <summary>The campaign document the chassis keeps for the orchestrator (persisted, resumable).</summary>
public sealed record UpgradeCampaign
{
    /// <summary>Campaign id.</summary>
    public required string Id { get; init; }

    /// <summary>The version being installed.</summary>
    public required string TargetVersion { get; init; }

    /// <summary>The version every card ran at the start: the rollback target.</summary>
    public required string OriginalVersion { get; init; }

    /// <summary>Phase.</summary>
    public CampaignPhase Phase { get; init; } = CampaignPhase.Prepared;

    /// <summary>Settings.</summary>
    public CampaignSettings Settings { get; init; } = new();

    /// <summary>When it started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Restarts per process when the current phase started (the crash-loop gate compares with it).</summary>
    public Dictionary<string, int> BaselineRestarts { get; init; } = new(StringComparer.Ordinal);

    /// <summary>When the fallback timer expires (set on reaching WaitingForCommit).</summary>
    public DateTimeOffset? FallbackAt { get; init; }

    /// <summary>An operator asked to commit.</summary>
    public bool CommitRequested { get; init; }

    /// <summary>An operator asked to roll back, with this reason.</summary>
    public string? RollbackRequested { get; init; }

    /// <summary>Why the campaign rolled back.</summary>
    public string? RollbackReason { get; init; }

    /// <summary>
    /// A card the campaign stopped and has not seen join again yet: an orchestrator that dies between the stop
    /// and the join leaves it down, and the one that resumes starts it first.
    /// </summary>
    public string? StoppedCard { get; init; }

    /// <summary>What was done, oldest first.</summary>
    public List<CampaignStep> Steps { get; init; } = [];

    /// <summary>True once the campaign can no longer change.</summary>
    public bool IsFinished => Phase is CampaignPhase.Committed or CampaignPhase.RolledBack;

    /// <summary>The version the campaign is moving cards to now.</summary>
    public string CurrentTarget => Phase is CampaignPhase.RollingBack or CampaignPhase.RolledBack ? OriginalVersion : TargetVersion;

    /// <summary>JSON form kept in the chassis.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RedundancyJson.Options);

    /// <summary>Reads the JSON form.</summary>
    public static UpgradeCampaign FromJson(string json) =>
        JsonSerializer.Deserialize<UpgradeCampaign>(json, RedundancyJson.Options) ?? throw new JsonException("The campaign record is empty.");
}
