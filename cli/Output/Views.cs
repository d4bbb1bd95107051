using System.Globalization;
using System.Text;
using System.Text.Json;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Management;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Upgrade;

namespace Redundancy.Orleans.Cli.Output;

/// <summary>The human renderings of the API's documents (the same documents --json prints as they are).</summary>
internal static class Views
{
    public static T As<T>(JsonElement document) =>
        document.Deserialize<T>(RedundancyJson.Options) ?? throw new JsonException($"The API answered JSON null where a {typeof(T).Name} was expected.");

    public static string Process(JsonElement document)
    {
        var p = As<ProcessStatus>(document);
        var sb = new StringBuilder();
        var lines = new TextTable("", "")
            .Add("process", p.Name)
            .Add("slot", N(p.Slot))
            .Add("card", p.CardId ?? "-")
            .Add("state", p.State.ToString().ToLowerInvariant() + (p.Reason is { } why ? $" ({why})" : ""))
            .Add("epoch / seq", $"{N(p.Epoch)} / {N(p.Seq)}")
            .Add("routes", N(p.StateSize))
            .Add("mode", p.ReplicationMode ?? "-")
            .Add("protected", p.Protected ? "yes" : $"no{(p.UnprotectedSince is { } since ? " since " + Time(since) : "")}")
            .Add("in-sync replicas", $"{N(p.InSyncReplicas)} of {N(p.MinInSyncReplicas)} required (in-sync set v{N(p.InSyncVersion)})")
            .Add("protected up to", $"seq {N(p.ProtectedSeq)}")
            .Add("durability", p.Durability ?? "-")
            .Add("unprotected", $"{p.TotalUnprotectedMs:0.0} ms in total{(p.LastUnprotectedMs is { } last ? $", last period {last:0.0} ms" : "")}");
        if (p.MissingCopies is { } missing)
        {
            lines.Add("missing copies", missing);
        }

        lines.Add("restarts", N(p.Restarts))
            .Add("last restore", p.LastRestoreMs is { } ms ? $"{ms:0.0} ms" : "-");
        sb.Append(Untitled(lines));
        var replicas = new TextTable("REPLICA", "CARD", "ACKED SEQ", "IN SYNC", "LAST ERROR");
        foreach (var r in p.Replicas)
        {
            replicas.Add(N(r.Index), r.CardId ?? "?", N(r.AckedSeq), r.InSync ? "yes" : "no", r.LastError ?? "");
        }

        sb.AppendLine().Append(replicas);
        if (p.LastAudit is { } audit)
        {
            sb.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"last audit: {(audit.Clean ? "clean" : "repaired " + N(audit.Repaired))}, {N(audit.Checked)} checked, {audit.DurationMs:0.0} ms");
            var findings = new TextTable("TARGET", "MISSING", "STALE", "WRONG", "ACTION");
            foreach (var f in audit.Findings)
            {
                findings.Add(f.Target, N(f.Missing), N(f.Stale), N(f.Wrong), f.Action ?? "");
            }

            sb.Append(findings);
        }

        return sb.ToString();
    }

    /// <summary>An update's acknowledgement: what changed, and how well it is protected (protection, replicas, flush deadline).</summary>
    public static string Acknowledgement(string process, JsonElement document)
    {
        var ack = As<UpdateResult>(document);
        var mode = ack.Mode is { } m ? $", {m.ToLowerInvariant()} mode" : "";
        var protection = ack.Protection switch
        {
            Protection.Protected => $"protected: held by {N(ack.Replicas)} replica{(ack.Replicas == 1 ? "" : "s")} on other cards{mode}",
            Protection.UnprotectedUntilFlushed => $"unprotected until the next flush{(ack.FlushDeadline is { } by ? " (by " + Time(by) + ")" : "")}{mode}",
            _ => $"UNPROTECTED: held by the primary{(ack.Replicas > 0 ? $" and {N(ack.Replicas)} replica{(ack.Replicas == 1 ? "" : "s")}" : " alone")}; a fault of the primary before re-protection loses it{mode}",
        };
        return $"{process}: acknowledged at seq {N(ack.Seq)}, epoch {N(ack.Epoch)} ({N(ack.Announced)} announced, {N(ack.Withdrawn)} withdrawn); {protection}{Environment.NewLine}";
    }

    public static string Routes(JsonElement document)
    {
        var view = As<RoutingTableView>(document);
        var table = new TextTable("PREFIX", "NEXT HOP", "METRIC", "ORIGIN", "BEST");
        foreach (var r in view.Routes)
        {
            table.Add(r.Route.Prefix, r.Route.NextHop, N(r.Route.Metric), r.Route.Origin, r.Best ? "*" : "");
        }

        var peers = view.ReceivedFromPeers.Count == 0 ? "" : "; from peers: " + string.Join(", ", view.ReceivedFromPeers.Select(kv => $"{kv.Key} {N(kv.Value)}"));
        return $"{view.Process}: epoch {N(view.Epoch)}, seq {N(view.Seq)}, {N(view.Routes.Count)} paths{peers}{Environment.NewLine}{table}";
    }

    public static string Forwarding(JsonElement document)
    {
        var view = As<ForwardingView>(document);
        var table = new TextTable("PREFIX", "NEXT HOP", "METRIC", "ORIGIN");
        foreach (var r in view.Entries)
        {
            table.Add(r.Prefix, r.NextHop, N(r.Metric), r.Origin);
        }

        return $"forwarding table of {view.CardId ?? "?"}: {N(view.Entries.Count)} entries, programmed at seq {N(view.Seq)}{Environment.NewLine}{table}";
    }

    public static string Events(IEnumerable<ChassisEvent> events, bool header = true)
    {
        var table = new TextTable("ID", "TIME", "KIND", "MESSAGE");
        foreach (var e in events)
        {
            table.Add(N(e.Id), Time(e.DetectedAt), e.Kind.ToString(), e.Message ?? $"{e.CardId} slot {e.Slot}");
        }

        var text = table.ToString();
        return header ? text : text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];
    }

    public static string Audits(JsonElement document)
    {
        var table = new TextTable("ID", "TIME", "CARD", "RESTORE", "AUDIT", "CHECKED", "MISSING", "STALE", "WRONG", "SEQ");
        foreach (var a in As<List<AuditRecord>>(document))
        {
            var r = a.Report;
            table.Add(N(a.Id), Time(a.At), a.CardId ?? "?", $"{a.RestoreMs:0.0} ms", r.Clean ? "clean" : $"repaired {N(r.Repaired)}",
                N(r.Checked), N(r.Missing), N(r.Stale), N(r.Wrong), $"{N(r.RestoredSeq)}/{N(r.AuditedSeq)}");
        }

        return table.ToString();
    }

    public static string MetricsTargets(JsonElement document)
    {
        var table = new TextTable("CARD", "ROLE", "METRICS");
        foreach (var t in As<List<MetricsTarget>>(document))
        {
            foreach (var target in t.Targets)
            {
                table.Add(Label(t, "redundancy_card"), Label(t, "redundancy_card_start_role"), $"{Label(t, "__scheme__")}://{target}{Label(t, "__metrics_path__")}");
            }
        }

        return table.ToString();
    }

    private static string Label(MetricsTarget target, string key) => target.Labels.TryGetValue(key, out var value) ? value : "";

    public static string Build(JsonElement document)
    {
        var b = As<BuildInfo>(document);
        var interfaces = string.Join(", ", b.InterfaceVersions.Select(kv => $"{kv.Key} v{N(kv.Value)}"));
        return Untitled(new TextTable("", "")
            .Add("card", b.CardId)
            .Add("version", b.Version)
            .Add("state schemas", $"{N(b.SchemaMin)}..{N(b.SchemaMax)}")
            .Add("interfaces", interfaces.Length == 0 ? "-" : interfaces));
    }

    public static string ShadowRestore(JsonElement document)
    {
        var table = new TextTable("PROCESS", "CARD", "OK", "SEQ", "ENTRIES", "SCHEMA", "DECODE", "MATCHES PRIMARY", "ERROR");
        foreach (var r in As<List<ShadowRestoreReport>>(document))
        {
            table.Add(r.Process, r.CardId, r.Ok ? "yes" : "no", N(r.Seq), N(r.Entries), N(r.Schema), $"{r.DecodeMs:0.0} ms",
                r.MatchesPrimary switch { true => "yes", false => "NO", null => "-" }, r.Error ?? "");
        }

        return table.ToString();
    }

    /// <summary>A one-line summary of an action's answer: its fields as <c>name=value</c>.</summary>
    public static string Fields(JsonElement document) =>
        document.ValueKind == JsonValueKind.Object
            ? string.Join(" ", document.EnumerateObject().Select(p => $"{p.Name}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}")) + Environment.NewLine
            : document.GetRawText() + Environment.NewLine;

    public static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A time of day in local time, to the millisecond.</summary>
    private static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>A two-column key/value table without its (empty) header line.</summary>
    private static string Untitled(TextTable table)
    {
        var text = table.ToString();
        return text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];
    }
}
