namespace Redundancy.Orleans.Bench.Harness;

/// <summary>One measured series: a scenario, a variant, a parameter, its samples and summary.</summary>
internal sealed record Series(string Scenario, string Variant, string Parameter, string Unit, Stats Stats, double? RatioToBaseline = null, string? Baseline = null);

/// <summary>A target from the issues, checked against a measurement.</summary>
internal sealed record Target(string Name, string Goal, string Measured, bool Met, string? Why = null);

/// <summary>Everything one run measured.</summary>
internal sealed class Results
{
    public required string Mode { get; init; }

    public required string Machine { get; init; }

    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    public double DurationSeconds { get; set; }

    public List<Series> Series { get; } = [];

    public List<Target> Targets { get; } = [];

    public List<string> Notes { get; } = [];

    public Series Add(string scenario, string variant, string parameter, string unit, IReadOnlyCollection<double> samples)
    {
        var s = new Series(scenario, variant, parameter, unit, Stats.Of(samples));
        Series.Add(s);
        Console.WriteLine($"  {scenario,-22} {variant,-10} {parameter,-14} median {s.Stats.Median,10:0.###} {unit,-8} p99 {s.Stats.P99,10:0.###} (n={s.Stats.Count})");
        return s;
    }

    /// <summary>Adds ratios against <paramref name="baseline"/> for one scenario (median over median).</summary>
    public void Ratios(string scenario, string baseline, bool higherIsBetter)
    {
        for (var i = 0; i < Series.Count; i++)
        {
            var s = Series[i];
            if (s.Scenario != scenario)
            {
                continue;
            }

            var b = Series.FirstOrDefault(x => x.Scenario == scenario && x.Variant == baseline && x.Parameter == s.Parameter);
            if (b is not null && b.Stats.Median > 0)
            {
                Series[i] = s with { RatioToBaseline = higherIsBetter ? s.Stats.Median / b.Stats.Median : b.Stats.Median / s.Stats.Median, Baseline = baseline };
            }
        }
    }
}
