using System.Diagnostics;

namespace Redundancy.Orleans.Diagnostics;

/// <summary>
/// The runtime's one <see cref="System.Diagnostics.ActivitySource"/> (named <see cref="TelemetryNames.ActivitySource"/>).
/// Public so that other parts of the product (the upgrade campaign) add their spans to the same source instead of
/// creating new ones. Instruments are per silo, created through the host's <c>IMeterFactory</c>.
/// </summary>
public static class RedundancyTelemetry
{
    /// <summary>The activity source <c>Redundancy.Orleans</c>.</summary>
    public static ActivitySource ActivitySource { get; } = new(TelemetryNames.ActivitySource, typeof(RedundancyTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// Starts the span of one upgrade campaign step (U1), for example <c>switch slot 2 to spare-1</c>;
    /// null when nobody listens. Dispose it when the step ends; mark a failed step with <see cref="Failed"/>.
    /// </summary>
    public static Activity? StartUpgradeStep(string campaign, string step, string? cardId = null, int? slot = null)
    {
        var activity = ActivitySource.StartActivity("upgrade.step");
        activity?.SetTag("redundancy.upgrade.campaign", campaign);
        activity?.SetTag("redundancy.upgrade.step", step);
        activity?.SetTag("redundancy.card", cardId);
        activity?.SetTag("redundancy.slot", slot);
        return activity;
    }

    /// <summary>Marks a span as failed with the reason (no-op for a null span).</summary>
    public static void Failed(Activity? activity, string reason) => activity?.SetStatus(ActivityStatusCode.Error, reason);
}
