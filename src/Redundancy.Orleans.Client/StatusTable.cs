using System.Text;
using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Client;

/// <summary>Renders the chassis status as plain-text tables for a console (the embedded chassis and the CLI).</summary>
public static class StatusTable
{
    /// <summary>Cards, then processes, as fixed-width tables.</summary>
    public static string Render(ChassisStatus status)
    {
        var sb = new StringBuilder();
        sb.AppendLine("CARD        ROLE     SLOT  ALIVE  PID      VERSION");
        foreach (var c in status.Cards)
        {
            sb.AppendLine($"{c.CardId,-11} {c.Role,-8} {(c.Slot?.ToString() ?? "-"),-5} {(c.Alive ? "yes" : "no"),-6} {c.ProcessId?.ToString() ?? "-",-8} {c.Version}");
        }

        sb.AppendLine();
        sb.AppendLine("PROCESS     SLOT  CARD        STATE        EPOCH  SEQ      ROUTES  REPLICAS (card:seq)        LAST AUDIT");
        foreach (var p in status.Processes)
        {
            var replicas = string.Join(" ", p.Replicas.Select(r => $"{r.CardId ?? "?"}:{r.AckedSeq}{(r.InSync ? "" : "!")}"));
            var audit = p.LastAudit is { } a ? $"{(a.Clean ? "clean" : "repaired " + a.Repaired)}, {a.Checked} checked, {a.DurationMs:0.0} ms" : "-";
            sb.AppendLine($"{p.Name,-11} {p.Slot,-5} {p.CardId ?? "-",-11} {p.State.ToString().ToLowerInvariant(),-12} {p.Epoch,-6} {p.Seq,-8} {p.StateSize,-7} {replicas,-26} {audit}");
        }

        return sb.ToString();
    }
}
