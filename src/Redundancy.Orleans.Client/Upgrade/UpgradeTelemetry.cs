using System.Diagnostics;
using Redundancy.Orleans.Diagnostics;

namespace Redundancy.Orleans.Client.Upgrade;

/// <summary>
/// Spans for upgrade steps (U1), on the runtime's activity source name, so a collector that listens to
/// <see cref="TelemetryNames.ActivitySource"/> sees the orchestrator's steps next to the restores they cause.
/// </summary>
internal static class UpgradeTelemetry
{
    private static readonly ActivitySource Source = new(TelemetryNames.ActivitySource);

    public static Activity? StartStep(UpgradeCampaign campaign, UpgradeAction action) => action switch
    {
        UpgradeAction.UpgradeSpare u => StartStep(campaign, "restart-card", u.Card),
        UpgradeAction.Switchover s => StartStep(campaign, "switchover", s.ToCard, s.Slot),
        _ => StartStep(campaign, action.GetType().Name),
    };

    public static Activity? StartStep(UpgradeCampaign campaign, string step, string? card = null, int? slot = null)
    {
        var activity = Source.StartActivity("upgrade.step");
        activity?.SetTag("redundancy.upgrade.campaign", campaign.Id);
        activity?.SetTag("redundancy.upgrade.phase", campaign.Phase.ToString());
        activity?.SetTag("redundancy.upgrade.step", step);
        activity?.SetTag("redundancy.upgrade.target", campaign.CurrentTarget);
        activity?.SetTag("redundancy.card", card);
        activity?.SetTag("redundancy.slot", slot);
        return activity;
    }
}
