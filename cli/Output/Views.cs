using System.Globalization;
using System.Text;
using System.Text.Json;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
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
            .Add("protected", p.Protected ? "yes" : $"no{(p.UnprotectedSince is { } since ? " since " + since.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) : "")}")
            .Add("restarts", N(p.Restarts))
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
            table.Add(N(e.Id), e.DetectedAt.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture), e.Kind.ToString(), e.Message ?? $"{e.CardId} slot {e.Slot}");
        }

        var text = table.ToString();
        return header ? text : text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];
    }

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
        var table = new TextTable("PROCESS", "CARD", "OK", "SEQ", "ROUTES", "SCHEMA", "DECODE", "MATCHES PRIMARY", "ERROR");
        foreach (var r in As<List<ShadowRestoreReport>>(document))
        {
            table.Add(r.Process, r.CardId, r.Ok ? "yes" : "no", N(r.Seq), N(r.Routes), N(r.Schema), $"{r.DecodeMs:0.0} ms",
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

    /// <summary>A two-column key/value table without its (empty) header line.</summary>
    private static string Untitled(TextTable table)
    {
        var text = table.ToString();
        return text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];
    }
}
