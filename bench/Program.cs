using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Redundancy.Orleans.Bench.Harness;
using Redundancy.Orleans.Bench.Report;
using Redundancy.Orleans.Bench.Scenarios;
using Redundancy.Orleans.Testing;

// Benchmark harness: dotnet run -c Release --project bench -- [--quick] [--out <folder>] [--only <scenario>]
string[] scenarios = ["throughput", "crash", "cardkill", "memory", "scale", "switchover"];
var quick = args.Contains("--quick");
var outIndex = Array.IndexOf(args, "--out");
var onlyIndex = Array.IndexOf(args, "--only");
var only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1] : null;
if (onlyIndex >= 0 && (only is null || !scenarios.Contains(only)))
{
    Console.Error.WriteLine($"--only needs one of: {string.Join(", ", scenarios)} (got '{only}').");
    return 2;
}

// A partial run must not overwrite the published report: it goes to artifacts/bench unless --out says otherwise.
var output = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1]
    : Path.Combine(RepoPaths.Root, only is null ? Path.Combine("docs", "benchmarks") : Path.Combine("artifacts", "bench"));
bool Runs(string scenario) => only is null || only == scenario;
var unknown = args.Where((a, i) => a is not "--quick" and not "--out" and not "--only" && (outIndex < 0 || i != outIndex + 1) && (onlyIndex < 0 || i != onlyIndex + 1)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown argument(s): {string.Join(" ", unknown)}. Usage: dotnet run -c Release --project bench -- [--quick] [--out <folder>] [--only <scenario>]");
    return 2;
}

if (RepoPaths.Configuration != "Release")
{
    Console.WriteLine($"warning: this is a {RepoPaths.Configuration} build; figures are only meaningful with -c Release.");
}

var total = Stopwatch.StartNew();
var results = new Results
{
    Mode = quick ? "quick" : "full",
    Machine = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {RepoPaths.Configuration} build",
};

await using var redis = RedisServer.Executable is null ? null : await RedisServer.StartAsync();
var variants = new List<Variant> { Variant.None, Variant.Sync, Variant.Periodic };
if (redis is null)
{
    results.Notes.Add("redis-server is not installed: the Redis persistence baseline was not measured (apt-get install redis-server).");
}
else
{
    variants.Insert(1, Variant.Redis);
}

// One chassis for the per-process scenarios: every variant's processes on slot 1, replicas elsewhere.
var table = new List<string>();
var index = 0;
foreach (var v in variants)
{
    table.AddRange(BenchChassis.ProcessArgs(index++, v.ProcessName("1"), 1, v.Kind, v.Replicas, v.Mode));
    table.AddRange(BenchChassis.ProcessArgs(index++, v.ProcessName("crash"), 1, v.Kind, v.Replicas, v.Mode));
}

var extra = redis is null ? [] : new[] { $"--Chassis:BaselineRedisConnectionString={redis.ConnectionString}" };
Console.WriteLine($"Starting the benchmark chassis ({variants.Count} variants: {string.Join(", ", variants.Select(v => v.Name))})");
if (Runs("throughput") || Runs("crash"))
{
    await using var chassis = await BenchChassis.StartAsync(slots: 3, spares: 1, table, extra);
    if (Runs("throughput"))
    {
        await ThroughputScenario.RunAsync(chassis, variants, [1, 100, 1000], TimeSpan.FromSeconds(quick ? 1 : 5), quick ? 2 : 5, results);
    }

    if (Runs("crash"))
    {
        var recoverable = variants.Where(v => v != Variant.None).ToList();
        await CrashRecoveryScenario.RunAsync(chassis, recoverable, quick ? [1_000, 10_000] : [1_000, 10_000, 100_000], quick ? 5 : 20, results);
    }
}

foreach (var processes in Runs("cardkill") ? quick ? new[] { 1, 10 } : [1, 10, 50] : [])
{
    await CardKillScenario.RunAsync(processes, quick ? 1_000 : 10_000, quick ? 2 : 5, results);
}

if (Runs("memory"))
{
    MemoryScenario.Run(100_000, quick ? 2 : 5, results);
}

if (Runs("scale"))
{
    await ScaleScenario.RunAsync(quick ? 100 : 1_000, 100, quick ? 5 : 20, results);
}

if (Runs("switchover"))
{
    await SwitchoverScenario.RunAsync(1, quick ? 1_000 : 10_000, quick ? 5 : 30, results);
}
if (quick)
{
    results.Notes.Add("Quick mode: card kills use 1,000 routes per process and few repetitions; p99 over so few samples is close to the maximum. Run without --quick for the figures the targets name.");
}

Targets.Check(results, quick);
results.DurationSeconds = total.Elapsed.TotalSeconds;
ReportWriter.Write(results, output);
Console.WriteLine($"Report written to {output} in {total.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s.");
foreach (var t in results.Targets)
{
    Console.WriteLine($"  target {(t.Met ? "met   " : "MISSED")} {t.Name}: {t.Goal}; measured {t.Measured}");
}

return 0;
