using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Redundancy.Orleans.Bench.Harness;
using Redundancy.Orleans.Testing;

namespace Redundancy.Orleans.Bench.Compare;

/// <summary>
/// The cost of a change, measured side by side: builds the benchmark of another commit (by default the one before
/// the replication contract of issue 11) from <c>git archive</c> into <c>artifacts/builds/compare-&lt;sha&gt;</c>, then
/// runs the throughput scenario of that build and of this one alternately, each in its own chassis, for several
/// rounds, and writes <c>protocol-cost.md</c> with both builds' medians and their ratio. Alternating the builds
/// spreads the machine's noise over both; each run also carries its own no-redundancy baseline, so the within-run
/// ratios (sync ÷ none) compare builds without trusting absolute figures.
/// </summary>
internal static class BaselineComparison
{
    private static readonly string[] Compared = ["throughput", "update latency"];

    // Results keeps its lists get-only: fill them rather than replace them.
    private static readonly JsonSerializerOptions Json = new() { PreferredObjectCreationHandling = System.Text.Json.Serialization.JsonObjectCreationHandling.Populate };

    public static async Task<int> RunAsync(string reference, int rounds, bool quick, string output)
    {
        try
        {
            return await CompareAsync(reference, rounds, quick, output);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    private static async Task<int> CompareAsync(string reference, int rounds, bool quick, string output)
    {
        if (RepoPaths.Configuration != "Release")
        {
            Console.Error.WriteLine("--compare needs a Release build: dotnet run -c Release --project bench -- --compare <commit>");
            return 2;
        }

        var sha = (await RunAsync("git", ["-C", RepoPaths.Root, "rev-parse", "--verify", "--quiet", reference + "^{commit}"], $"--compare: '{reference}' is not a commit of this repository", capture: true)).Trim();
        var tree = Path.Combine(RepoPaths.Root, "artifacts", "builds", $"compare-{sha[..10]}");
        var baselineDll = Path.Combine(tree, "bench", "bin", "Release", "net10.0", "Redundancy.Orleans.Bench.dll");
        if (!File.Exists(baselineDll))
        {
            Console.WriteLine($"Building the baseline {reference} ({sha[..10]}) in {tree}");
            Directory.CreateDirectory(tree);
            await RunAsync("bash", ["-c", $"git -C '{RepoPaths.Root}' archive {sha} | tar -x -C '{tree}'"], "extracting the baseline");
            await RunAsync("dotnet", ["build", "-c", "Release", "-nologo", "-v:q", "-nodeReuse:false", Path.Combine(tree, "bench", "Redundancy.Orleans.Bench.csproj")], "building the baseline");
        }

        var headDll = typeof(BaselineComparison).Assembly.Location;
        var runs = Path.Combine(output, "runs");
        var measured = new Dictionary<string, List<Results>> { ["baseline"] = [], ["head"] = [] };
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, dll) in round % 2 == 0 ? new[] { ("baseline", baselineDll), ("head", headDll) } : [("head", headDll), ("baseline", baselineDll)])
            {
                var folder = Path.Combine(runs, $"{name}-{round + 1}");
                Console.WriteLine($"Round {round + 1}/{rounds}: {name} throughput");
                string[] args = quick ? [dll, "--only", "throughput", "--quick", "--out", folder] : [dll, "--only", "throughput", "--out", folder];
                await RunAsync("dotnet", args, $"round {round + 1}, {name} build");
                measured[name].Add(JsonSerializer.Deserialize<Results>(await File.ReadAllTextAsync(Path.Combine(folder, "results.json")), Json)!);
            }
        }

        var report = Markdown(reference, sha, rounds, quick, measured["baseline"], measured["head"]);
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "protocol-cost.md"), report);
        Console.WriteLine(report);
        Console.WriteLine($"Written to {Path.Combine(output, "protocol-cost.md")}");
        return 0;
    }

    private static string Markdown(string reference, string sha, int rounds, bool quick, List<Results> baseline, List<Results> head)
    {
        var sb = new StringBuilder();
        var head10 = RunAsync("git", ["-C", RepoPaths.Root, "rev-parse", "--short=10", "HEAD"], "naming HEAD", capture: true).GetAwaiter().GetResult().Trim();
        sb.AppendLine("# The cost of the replication contract, side by side");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Run: `dotnet run -c Release --project bench -- --compare {reference} --rounds {rounds}{(quick ? " --quick" : "")}`, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Baseline: `{sha[..10]}` ({reference}); head: `{head10}` (this build, working tree included). Machine: {head[0].Machine}.");
        sb.AppendLine();
        sb.AppendLine("Each round runs the throughput scenario of both builds, each in its own chassis, alternating which goes first. Figures are the median over rounds of each run's median; `head ÷ base` is higher-is-better for throughput and lower-is-better for latency. `÷ none` is the run's own ratio to its no-redundancy process, so it compares the builds without trusting absolute figures on a shared machine.");
        sb.AppendLine();
        sb.AppendLine("| scenario | variant | parameter | unit | baseline median | head median | head ÷ base | baseline p99 | head p99 | baseline ÷ none | head ÷ none |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var key in head[0].Series.Where(s => Compared.Contains(s.Scenario)).Select(s => (s.Scenario, s.Variant, s.Parameter, s.Unit)))
        {
            var b = Pick(baseline, key);
            var h = Pick(head, key);
            if (b.Count == 0 || h.Count == 0)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {key.Scenario} | {key.Variant} | {key.Parameter} | {key.Unit} | {(b.Count == 0 ? "not measured" : "")} | {(h.Count == 0 ? "not measured" : "")} | | | | | |");
                continue;
            }

            double Median(List<Series> s, Func<Series, double?> f) => Stats.Of(s.Select(f).OfType<double>().ToArray()).Median;
            var bm = Median(b, s => s.Stats.Median);
            var hm = Median(h, s => s.Stats.Median);
            var none = key.Scenario == "throughput" ? (Median(b, s => s.RatioToBaseline), Median(h, s => s.RatioToBaseline)) : (double.NaN, double.NaN);
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {key.Scenario} | {key.Variant} | {key.Parameter} | {key.Unit} | {bm:0.###} | {hm:0.###} | {hm / bm:0.00}× | {Median(b, s => s.Stats.P99):0.###} | {Median(h, s => s.Stats.P99):0.###} | {Ratio(none.Item1)} | {Ratio(none.Item2)} |");
        }

        return sb.ToString();
    }

    private static string Ratio(double r) => double.IsNaN(r) ? "" : r.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    private static List<Series> Pick(List<Results> runs, (string Scenario, string Variant, string Parameter, string Unit) key) =>
        [.. runs.SelectMany(r => r.Series).Where(s => (s.Scenario, s.Variant, s.Parameter, s.Unit) == key)];

    private static async Task<string> RunAsync(string file, string[] args, string phase, bool capture = false)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = capture };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{phase}: could not start {file}");
        var text = capture ? await process.StandardOutput.ReadToEndAsync() : "";
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? text : throw new InvalidOperationException($"{phase}: '{file} {string.Join(' ', args)}' exited with {process.ExitCode}");
    }
}
