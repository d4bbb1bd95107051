using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Redundancy.Orleans.Bench.Harness;
using Redundancy.Orleans.Bench.Report;
using Redundancy.Orleans.Bench.Scenarios;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Testing;

// Benchmark harness: dotnet run -c Release --project bench -- [--quick] [--out <folder>] [--only <scenario>]
//   card kill and hang only: [--sizes 1,10,50] (processes on the killed card) [--detectors default,previous]
//   card kill, hang and full table: [--kills N]
//   every chassis: [--set Section:Key=value]... (for example --set Chassis:ProbeTimeout=00:00:03)
//                    dotnet run -c Release --project bench -- --compare <commit> [--rounds N] [--quick] [--out <folder>]
const string Usage = "Usage: dotnet run -c Release --project bench -- [--quick] [--out <folder>] [--only <scenario>] [--sizes 1,10,50] [--kills N] " +
    "[--detectors default,previous] [--set Section:Key=value]... | --compare <commit> [--rounds N] [--quick] [--out <folder>]";
if (args is [LoopbackLimit.SinkArgument, var sinkPort])
{
    return await LoopbackLimit.SinkAsync(int.Parse(sinkPort, CultureInfo.InvariantCulture));
}

string[] scenarios = ["throughput", "crash", "cardkill", "cardhang", "memory", "fulltable", "scale", "switchover"];

// Options that take one value; --set takes one each time it is given.
string[] valued = ["--out", "--only", "--compare", "--rounds", "--sizes", "--kills", "--detectors"];
var quick = args.Contains("--quick");
bool HasValue(int i) => i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
string? Value(string option)
{
    var i = Array.IndexOf(args, option);
    return i >= 0 && HasValue(i) ? args[i + 1] : null;
}

var settings = new List<string>();
var unknown = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (valued.Contains(args[i]) || args[i] == "--set")
    {
        if (!HasValue(i))
        {
            Console.Error.WriteLine($"{args[i]} needs a value. {Usage}");
            return 2;
        }

        if (args[i] != "--set" && Array.IndexOf(args, args[i]) != i)
        {
            Console.Error.WriteLine($"{args[i]} is given twice. {Usage}");
            return 2;
        }

        var value = args[++i];
        if (args[i - 1] == "--set")
        {
            if (!value.Contains(':', StringComparison.Ordinal) || value.IndexOf('=', StringComparison.Ordinal) < 1)
            {
                Console.Error.WriteLine($"--set takes Section:Key=value (got '{value}'). {Usage}");
                return 2;
            }

            settings.Add("--" + value);
        }
    }
    else if (args[i] != "--quick")
    {
        unknown.Add(args[i]);
    }
}

if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown argument(s): {string.Join(" ", unknown)}. {Usage}");
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

if (compare is not null)
{
    var notWithCompare = new[] { "--only", "--sizes", "--kills", "--detectors", "--set" }.Where(args.Contains).ToList();
    if (notWithCompare.Count > 0)
    {
        Console.Error.WriteLine($"--compare runs the throughput scenario of both builds; it takes no {string.Join(", ", notWithCompare)}. {Usage}");
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

int[] killSizes;
int? kills;
List<Detector> detectors;
try
{
    killSizes = Value("--sizes") is { } sizes ? [.. sizes.Split(',').Select(v => PositiveInt("--sizes", v))] : quick ? [1, 10] : [1, 10, 50];
    kills = Value("--kills") is { } k ? PositiveInt("--kills", k) : null;
    detectors = Value("--detectors") is { } d
        ? [.. d.Split(',').Select(name => Detector.All.FirstOrDefault(x => x.Name == name) ?? throw new ArgumentException($"--detectors takes {string.Join(", ", Detector.All.Select(x => x.Name))} (got '{name}')."))]
        : [.. Detector.All];
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"{e.Message} {Usage}");
    return 2;
}

BenchChassis.Settings = settings;

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

if (settings.Count > 0)
{
    results.Notes.Add($"Every chassis of this run was started with {string.Join(" ", settings)}.");
}

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
    table.AddRange(EmbeddedChassisProcess.ProcessArgs(index++, v.ProcessName("1"), 1, v.Kind, v.Replicas, v.Mode));
    table.AddRange(EmbeddedChassisProcess.ProcessArgs(index++, v.ProcessName("crash"), 1, v.Kind, v.Replicas, v.Mode));
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

foreach (var processes in Runs("cardkill") ? killSizes : [])
{
    // The settings issue 12 replaced run next to the defaults on the heaviest card only: one run shows both.
    foreach (var detector in detectors.Where(d => d == Detector.Default || processes == killSizes.Max()))
    {
        await CardKillScenario.RunAsync(processes, quick ? 1_000 : 10_000, kills ?? (quick ? 2 : 5), detector, results);
    }
}

// A hung card (SIGSTOP) keeps its port open: only the probes find it, after the time a busy card is granted.
foreach (var detector in Runs("cardhang") ? detectors : [])
{
    await CardKillScenario.RunAsync(1, quick ? 1_000 : 10_000, kills ?? (quick ? 2 : 3), detector, results, hang: true);
}

if (Runs("memory"))
{
    MemoryScenario.Run(100_000, quick ? 2 : 5, results);
    MemoryScenario.RunTable(quick ? 20_000 : SyntheticTableSizes.FullTable, quick ? 2 : 3, results);
}

if (Runs("fulltable"))
{
    await FullTableScenario.RunAsync(quick ? 20_000 : SyntheticTableSizes.FullTable, quick ? 2 : 10, processesOnCard: quick ? 2 : 4, kills: kills ?? (quick ? 1 : 10), results);
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

static int PositiveInt(string option, string value) =>
    int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1000
        ? n
        : throw new ArgumentException($"{option} takes whole numbers 1..1000 (got '{value}').");
