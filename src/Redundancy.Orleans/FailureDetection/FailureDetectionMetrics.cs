using System.Diagnostics.Metrics;
using Redundancy.Orleans.Diagnostics;

namespace Redundancy.Orleans.FailureDetection;

/// <summary>Instruments of the failure detection, on the <c>Redundancy.Orleans</c> meter.</summary>
internal static class FailureDetectionMetrics
{
    private static readonly Counter<long> ClosedPortDeaths = RedundancyTelemetry.Meter.CreateCounter<long>(
        "redundancy.membership.closed_port_deaths", "{silo}",
        "Silos this card declared dead because their port refused connections here and at a second card (their process was gone).");

    public static void DeclaredDead() => ClosedPortDeaths.Add(1);
}
