namespace Redundancy.Orleans.Client.Upgrade;

/// <summary>Why an upgrade command was refused or failed.</summary>
public enum UpgradeErrorKind
{
    /// <summary>Bad input (unknown version, bad settings); nothing was changed.</summary>
    InvalidInput,

    /// <summary>A campaign is already running (or another orchestrator holds it).</summary>
    CampaignBusy,

    /// <summary>No campaign to act on, or it is in a phase where the command does not apply.</summary>
    NoCampaign,

    /// <summary>The new build was refused by verification; the chassis is back where it was.</summary>
    VerificationFailed,

    /// <summary>The campaign rolled back (failed gate, fallback timer, operator).</summary>
    RolledBack,

    /// <summary>A provisioning command failed.</summary>
    Provisioning,

    /// <summary>The chassis cannot be upgraded as it is (no spare, degraded slot).</summary>
    Blocked,
}

/// <summary>An upgrade command was refused or failed; the message says why and what to do.</summary>
public sealed class UpgradeException(UpgradeErrorKind kind, string message) : Exception(message)
{
    /// <summary>Why.</summary>
    public UpgradeErrorKind Kind { get; } = kind;
}
