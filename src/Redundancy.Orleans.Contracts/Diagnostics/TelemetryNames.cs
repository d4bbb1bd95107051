namespace Redundancy.Orleans.Diagnostics;

/// <summary>
/// Names under which the runtime publishes its telemetry: give them to an OpenTelemetry
/// <c>AddMeter</c> / <c>AddSource</c> (or any <c>MeterListener</c> / <c>ActivityListener</c>).
/// </summary>
public static class TelemetryNames
{
    /// <summary>The one meter of the runtime: replication, restarts, failovers, audits, protection.</summary>
    public const string Meter = "Redundancy.Orleans";

    /// <summary>The activity source of the runtime: restore, audit, failover and upgrade-step spans.</summary>
    public const string ActivitySource = "Redundancy.Orleans";

    /// <summary>Orleans' own meter.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Orleans' activity sources (grain calls, lifecycle), as a wildcard.</summary>
    public const string OrleansActivitySources = "Microsoft.Orleans.*";
}
