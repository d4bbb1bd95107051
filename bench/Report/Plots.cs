using Redundancy.Orleans.Bench.Harness;

namespace Redundancy.Orleans.Bench.Report;

/// <summary>Grouped bar charts of the medians per scenario, as PNG (p99 and the rest are in the report's tables).</summary>
internal static class Plots
{
    public static IReadOnlyList<string> Write(Results results, string folder)
    {
        var written = new List<string>();
        foreach (var scenario in new[] { "throughput", "update latency", "crash to ready", "card kill to ready" })
        {
            var series = results.Series.Where(s => s.Scenario == scenario).ToList();
            if (series.Count == 0)
            {
                continue;
            }

            var file = scenario.Replace(' ', '-') + ".png";
            var plot = new ScottPlot.Plot();
            var parameters = series.Select(s => s.Parameter).Distinct().ToList();
            var variants = series.Select(s => s.Variant).Distinct().ToList();
            var palette = new ScottPlot.Palettes.Category10();
            var bars = new List<ScottPlot.Bar>();
            var ticks = new List<ScottPlot.Tick>();
            for (var g = 0; g < parameters.Count; g++)
            {
                for (var v = 0; v < variants.Count; v++)
                {
                    var s = series.FirstOrDefault(x => x.Parameter == parameters[g] && x.Variant == variants[v]);
                    if (s is null || double.IsNaN(s.Stats.Median))
                    {
                        continue;
                    }

                    var position = g * (variants.Count + 1) + v;
                    bars.Add(new ScottPlot.Bar { Position = position, Value = s.Stats.Median, FillColor = palette.GetColor(v) });
                }

                ticks.Add(new ScottPlot.Tick(g * (variants.Count + 1) + (variants.Count - 1) / 2.0, parameters[g]));
            }

            plot.Add.Bars(bars);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
            for (var v = 0; v < variants.Count; v++)
            {
                plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = variants[v], FillColor = palette.GetColor(v) });
            }

            plot.ShowLegend();
            plot.Title($"{scenario} (median; p99 in the tables)");
            plot.YLabel(series[0].Unit);
            plot.Axes.Margins(bottom: 0);
            plot.SavePng(Path.Combine(folder, file), 900, 450);
            written.Add(file);
        }

        return written;
    }
}
