using System.Globalization;
using System.Text;
using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Client;

/// <summary>Renders the chassis status as plain-text tables for a console (the embedded chassis and the CLI).</summary>
public static class StatusTable
{
    /// <summary>Cards, then processes; columns as wide as their longest value.</summary>
    public static string Render(ChassisStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var sb = new StringBuilder();
        sb.Append(Cards(status.Cards));
        sb.AppendLine();
        var processes = new TextTable("PROCESS", "SLOT", "CARD", "STATE", "EPOCH", "SEQ", "ROUTES", "REPLICAS (card:seq)", "LAST AUDIT");
        foreach (var p in status.Processes)
        {
            var replicas = string.Join(" ", p.Replicas.Select(r => $"{r.CardId ?? "?"}:{r.AckedSeq}{(r.InSync ? "" : "!")}"));
            var audit = p.LastAudit is { } a ? $"{(a.Clean ? "clean" : "repaired " + a.Repaired)}, {a.Checked} checked, {a.DurationMs:0.0} ms" : "-";
            processes.Add(p.Name, Number(p.Slot), p.CardId ?? "-", p.State.ToString().ToLowerInvariant(), Number(p.Epoch), Number(p.Seq), Number(p.StateSize),
                replicas.Length == 0 ? "-" : replicas, audit);
        }

        return sb.Append(processes).ToString();
    }

    /// <summary>The cards table alone.</summary>
    public static string Cards(IEnumerable<CardInfo> cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        var table = new TextTable("CARD", "ROLE", "SLOT", "ALIVE", "PID", "VERSION");
        foreach (var c in cards)
        {
            table.Add(c.CardId, c.Role, c.Slot is { } s ? Number(s) : "-", c.Alive ? "yes" : "no", c.ProcessId is { } pid ? Number(pid) : "-", c.Version ?? "-");
        }

        return table.ToString();
    }

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
