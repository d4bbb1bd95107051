using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Chassis;

namespace Redundancy.Orleans.History;

/// <summary>
/// Records as grain storage keeps them. Storage providers may serialize with JSON (Redis's default does, with the
/// runtime type of each value), which cannot rebuild the read-only list types the compiler makes for collection
/// expressions: lists become plain arrays before they are stored.
/// </summary>
internal static class StorageForm
{
    public static ChassisEvent Of(ChassisEvent e) => e with { ReadyProcesses = e.ReadyProcesses.ToArray() };

    public static AuditRecord Of(AuditRecord a) => a with { Report = a.Report with { Findings = a.Report.Findings.ToArray() } };
}
