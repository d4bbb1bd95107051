using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Redundancy.Orleans.Bench.Harness;
using Redundancy.Orleans.Bench.Report;
using Redundancy.Orleans.Bench.Scenarios;
using Redundancy.Orleans.Testing;

// Benchmark harness: dotnet run -c Release --project bench -- [--quick] [--out <folder>] [--only <scenario>]
//                    dotnet run -c Release --project bench -- --compare <commit> [--rounds N] [--quick] [--out <folder>]
const string Usage = "Usage: dotnet run -c Release --project bench -- [--quick] [--out <folder>] [--only <scenario>] | --compare <commit> [--rounds N] [--quick] [--out <folder>]";
string[] scenarios = ["throughput", "crash", "cardkill", "memory", "scale", "switchover"];
string[] valued = ["--out", "--only", "--compare", "--rounds"];
var quick = args.Contains("--quick");
string? Value(string option)
{
    var i = Array.IndexOf(args, option);
    return i >= 0 && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[i + 1] : null;
}

var missing = valued.Where(o => args.Contains(o) && Value(o) is null).ToList();
if (missing.Count > 0)
{
    Console.Error.WriteLine($"{string.Join(", ", missing)} needs a value. {Usage}");
    return 2;
}

var only = Value("--only");
if (only is not null && !scenarios.Contains(only))
{
    Console.Error.WriteLine($"--only needs one of: {string.Join(", ", scenarios)} (got '{only}').");
    return 2;
}

// A partial run must not overwrite the published report: it goes to artifacts/bench unless --out says otherwise.
var compare = Value("--compare");
var output = Value("--out")
    ?? Path.Combine(RepoPaths.Root, compare is not null ? Path.Combine("artifacts", "bench", "compare") : only is null ? Path.Combine("docs", "benchmarks") : Path.Combine("artifacts", "bench"));
bool Runs(string scenario) => only is null || only == scenario;
var unknown = args.Where((a, i) => a != "--quick" && !valued.Contains(a) && (i == 0 || !valued.Contains(args[i - 1]))).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown argument(s): {string.Join(" ", unknown)}. {Usage}");
    return 2;
}

if (compare is not null)
{
    if (only is not null)
    {
        Console.Error.WriteLine($"--compare runs the throughput scenario of both builds; it takes no --only. {Usage}");
        return 2;
    }

    var roundsText = Value("--rounds") ?? "3";
    if (!int.TryParse(roundsText, NumberStyles.None, CultureInfo.InvariantCulture, out var rounds) || rounds is < 1 or > 20)
    {
        Console.Error.WriteLine($"--rounds must be a whole number 1..20 (got '{roundsText}').");
        return 2;
    }

    return await Redundancy.Orleans.Bench.Compare.BaselineComparison.RunAsync(compare, rounds, quick, output);
}

if (args.Contains("--rounds"))
{
    Console.Error.WriteLine($"--rounds only goes with --compare. {Usage}");
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
