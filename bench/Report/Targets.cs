using System.Globalization;
using Redundancy.Orleans.Bench.Harness;

namespace Redundancy.Orleans.Bench.Report;

/// <summary>The figures the issues ask for, checked against this run.</summary>
internal static class Targets
{
    public static void Check(Results r, bool quick)
    {
        Ratio(r, "throughput", "sync", "batch 1000", 0.5, "sync throughput at batch 1000 vs no redundancy");
        Ratio(r, "throughput", "periodic", "batch 1000", 0.9, "periodic throughput at batch 1000 vs no redundancy");
        if (Find(r, "crash to ready", "sync", "10000 routes") is { } crash)
        {
            r.Targets.Add(new Target("crash to ready, 10,000 routes (sync)", "p99 < 50 ms", Ms(crash.Stats.P99), crash.Stats.P99 < 50,
                crash.Stats.P99 < 50 ? null : "see 'restore in process' for the share spent inside the activation"));
            if (crash.RatioToBaseline is { } x)
            {
                r.Targets.Add(new Target("crash to ready vs Redis persistence, 10,000 routes", ">= 10x faster (median)", $"{x:0.0}x", x >= 10));
            }
        }

        var size = quick ? "1 x 1000" : "1 x 10000";
        if (Find(r, "switchover pause", "sync", size) is { } pause)
        {
            r.Targets.Add(new Target($"planned switchover pause per process ({size} routes)", "p99 < 20 ms" + (quick ? " (target names 10,000 routes; quick uses 1,000)" : ""),
                Ms(pause.Stats.P99), pause.Stats.P99 < 20, pause.Stats.P99 < 20 ? null : "see 'switchover restore+audit' for the share spent restoring and auditing on the new card"));
        }

        var processes = quick ? "10 x 1000" : "10 x 10000";
        if (Find(r, "card kill to ready", "total", processes) is { } kill)
        {
            r.Targets.Add(new Target($"card kill to all ready ({processes} routes)", "p99 < 1.5 s" + (quick ? " (target names 10 x 10,000; quick uses 1,000)" : ""),
                Ms(kill.Stats.P99), kill.Stats.P99 < 1500));
        }
    }

    private static void Ratio(Results r, string scenario, string variant, string parameter, double goal, string name)
    {
        if (Find(r, scenario, variant, parameter) is { RatioToBaseline: { } x })
        {
            r.Targets.Add(new Target(name, string.Create(CultureInfo.InvariantCulture, $">= {goal:0.0}x"), string.Create(CultureInfo.InvariantCulture, $"{x:0.00}x"), x >= goal));
        }
    }

    private static Series? Find(Results r, string scenario, string variant, string parameter) =>
        r.Series.FirstOrDefault(s => s.Scenario == scenario && s.Variant == variant && s.Parameter == parameter);

    private static string Ms(double v) => string.Create(CultureInfo.InvariantCulture, $"{v:0.0} ms");
}
