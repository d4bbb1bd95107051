using System.Globalization;
using System.Text;
using System.Text.Json;
using Redundancy.Orleans.Bench.Harness;

namespace Redundancy.Orleans.Bench.Report;

/// <summary>Writes results.json, README.md and PNG plots to the output folder.</summary>
internal static class ReportWriter
{
    public static void Write(Results results, string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        var plots = Plots.Write(results, folder);
        File.WriteAllText(Path.Combine(folder, "README.md"), Markdown(results, plots));
    }

    private static string Markdown(Results r, IReadOnlyList<string> plots)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Benchmark report");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Run: `dotnet run -c Release --project bench --{(r.Mode == "quick" ? " --quick" : "")}` ({r.Mode}), {r.StartedAt:yyyy-MM-dd HH:mm} UTC, {r.DurationSeconds:0} s.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Machine: {r.Machine}.");
        sb.AppendLine();
        sb.AppendLine("Real silo processes on loopback (the embedded chassis: control silo + line cards + spares), measured with an Orleans client on the control silo's gateway. Every variant runs in the same chassis, interleaved, over several repetitions. Median and p99 per series; ratios are medians against the baseline named.");
        sb.AppendLine();
        sb.AppendLine("Variants: " + string.Join("; ", new[] { Variant.None, Variant.Redis, Variant.Sync, Variant.Periodic }.Select(v => $"**{v.Name}**: {v.Description}")) + ".");
        sb.AppendLine();
        sb.AppendLine("## Targets");
        sb.AppendLine();
        sb.AppendLine("| target | goal | measured | met |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var t in r.Targets)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {t.Name} | {t.Goal} | {t.Measured} | {(t.Met ? "yes" : "**no**" + (t.Why is null ? "" : ": " + t.Why))} |");
        }

        foreach (var scenario in r.Series.Select(s => s.Scenario).Distinct())
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"## {char.ToUpperInvariant(scenario[0])}{scenario[1..]}");
            sb.AppendLine();
            sb.AppendLine("| variant | parameter | median | p99 | min | max | n | ratio |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var s in r.Series.Where(s => s.Scenario == scenario))
            {
                var ratio = s.RatioToBaseline is { } x ? string.Create(CultureInfo.InvariantCulture, $"{x:0.00}x vs {s.Baseline}") : "";
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {s.Variant} | {s.Parameter} | {F(s.Stats.Median)} {s.Unit} | {F(s.Stats.P99)} | {F(s.Stats.Min)} | {F(s.Stats.Max)} | {s.Stats.Count} | {ratio} |");
            }
        }

        if (plots.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Plots");
            sb.AppendLine();
            foreach (var p in plots)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"![{p}]({p})");
            }
        }

        if (r.Notes.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Notes");
            sb.AppendLine();
            foreach (var n in r.Notes)
            {
                sb.AppendLine("- " + n);
            }
        }

        return sb.ToString();
    }

    private static string F(double v) => double.IsNaN(v) ? "n/a" : v >= 100 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);
}
