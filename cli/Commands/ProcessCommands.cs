using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Redundancy.Orleans.Cli.Output;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Routing;
using static Redundancy.Orleans.Cli.Commands.Arguments;
using static Redundancy.Orleans.Cli.Output.Views;

namespace Redundancy.Orleans.Cli.Commands;

/// <summary>The process verbs that change something: update (announce and withdraw routes), load-table (a synthetic table), release (optionally rebuilding).</summary>
internal static class ProcessCommands
{
    public static IEnumerable<Command> Create(Verbs verbs)
    {
        var process = Process();
        var announce = new Option<Route[]>("--announce", "-a")
        {
            Description = "A route to announce: PREFIX,NEXTHOP[,METRIC[,ORIGIN]] (repeat for more)",
            HelpName = "route",
            AllowMultipleArgumentsPerToken = false,
            CustomParser = r => [.. r.Tokens.Select(t => ParseRoute(t.Value, r))],
        };
        var withdraw = new Option<string[]>("--withdraw") { Description = "A prefix to withdraw, every origin (repeat for more)", HelpName = "prefix" };
        var file = new Option<string?>("--file") { Description = "The batch as the API's JSON ({\"announce\":[...],\"withdraw\":[...]}); '-' reads standard input", HelpName = "path" };
        var update = verbs.Verb("update", "Announce and withdraw routes; returns once acknowledged, with how well it is protected",
            c => UpdateAsync(c, c.Get(process), c.Get(announce) ?? [], c.Get(withdraw) ?? [], c.Get(file)),
            "redundancy update bgp-1 --announce 10.9.0.0/16,192.0.2.1", "redundancy update bgp-1 -a 10.9.0.0/16,192.0.2.1,20,ebgp --withdraw 10.1.0.0/16",
            "redundancy update bgp-1 --file batch.json");
        verbs.Calls(update, "POST /api/processes/{name}/routes");
        update.Add(process);
        update.Add(announce);
        update.Add(withdraw);
        update.Add(file);
        yield return update;

        yield return LoadTable(verbs);

        var quarantined = Process();
        var rebuild = new Option<bool>("--rebuild")
        {
            Description = "Discard its replicated state and rebuild it from its forwarding table and peers (destructive: changes only the replicas held are lost)",
        };
        var release = verbs.Verb("release", "Release a quarantined or unavailable process: it restarts and restores from its replicas, or with --rebuild rebuilds its state",
            async c =>
            {
                var name = c.Get(quarantined);
                var rebuilding = c.Get(rebuild);
                if (rebuilding)
                {
                    c.Confirm($"Release {name} and rebuild its state from its forwarding table and peers, discarding its replicas");
                }

                c.Print(await c.SendAsync(HttpMethod.Post, $"api/processes/{Escape(name)}/release{(rebuilding ? "?rebuild=true" : "")}"),
                    _ => $"{name} released: it restarts and {(rebuilding ? "rebuilds its state from its forwarding table and peers" : "restores from its replicas")}{Environment.NewLine}");
                return ExitCodes.Ok;
            },
            "redundancy release bgp-1", "redundancy release bgp-1 --rebuild --yes");
        verbs.Calls(release, "POST /api/processes/{name}/release");
        release.Add(quarantined);
        release.Add(rebuild);
        yield return release;
    }

    /// <summary>Prefixes per request of 'load-table': one progress line each.</summary>
    internal const int TableWindow = 100_000;

    private static Command LoadTable(Verbs verbs)
    {
        var process = Process();
        var routes = new Option<int>("--routes")
        {
            Description = $"Prefixes in the table, 1..{SyntheticTableSizes.MaxPrefixes} (a full table: {SyntheticTableSizes.FullTable}, 1 in 5 IPv6; some prefixes have 2 or 3 paths)",
            HelpName = "prefixes",
            Required = true,
            CustomParser = r => (int)GlobalOptions.ParseWhole(r, "--routes", 1, SyntheticTableSizes.MaxPrefixes),
        };
        var seed = new Option<int>("--seed")
        {
            Description = "The table's seed: the same seed gives the same table in every run",
            HelpName = "n",
            DefaultValueFactory = _ => 1,
            CustomParser = r => (int)GlobalOptions.ParseWhole(r, "--seed", 0, int.MaxValue),
        };
        var command = verbs.Verb("load-table",
            "Load a synthetic Internet table (generated on the server from a seed: the real prefix-length mix) into a process, window by window; returns once every batch is acknowledged",
            c => LoadTableAsync(c, c.Get(process), c.Get(routes), c.Get(seed)),
            $"redundancy load-table bgp-1 --routes {SyntheticTableSizes.FullTable}", "redundancy load-table bgp-2 --routes 100000 --seed 7");
        verbs.Calls(command, "POST /api/processes/{name}/table");
        command.Add(process);
        command.Add(routes);
        command.Add(seed);
        return command;
    }

    private static async Task<int> LoadTableAsync(CliContext c, string process, int prefixes, int seed)
    {
        var (paths, batches, elapsed) = (0L, 0, 0.0);
        JsonElement last = default;
        await ProgressDisplay.RunAsync(c, $"loading {prefixes} prefixes into {process}", async progress =>
        {
            for (var from = 0; from < prefixes; from += TableWindow)
            {
                var count = Math.Min(TableWindow, prefixes - from);
                last = await c.SendAsync(HttpMethod.Post, $"api/processes/{Escape(process)}/table?routes={N(prefixes)}&seed={N(seed)}&from={N(from)}&count={N(count)}");
                paths += last.GetProperty("paths").GetInt64();
                batches += last.GetProperty("batches").GetInt32();
                elapsed += last.GetProperty("elapsedMs").GetDouble();
                progress($"{process}: {N(from + count)} of {N(prefixes)} prefixes loaded ({N(paths)} paths, {batches} batches acknowledged)");
            }

            return true;
        });
        var done = JsonSerializer.SerializeToElement(new
        {
            process,
            prefixes,
            seed,
            paths,
            batches,
            protection = last.GetProperty("protection").GetString(),
            elapsedMs = elapsed,
        });
        c.Print(done, d => $"{process}: loaded the synthetic table (seed {N(seed)}): {N(prefixes)} prefixes, {N(paths)} paths in {N(batches)} batches, "
            + $"{(elapsed / 1000).ToString("0.0", CultureInfo.InvariantCulture)} s; last batch {d.GetProperty("protection").GetString()}{Environment.NewLine}");
        return ExitCodes.Ok;
    }

    private static async Task<int> UpdateAsync(CliContext c, string process, Route[] announce, string[] withdraw, string? file)
    {
        RouteUpdate batch;
        if (file is not null)
        {
            if (announce.Length > 0 || withdraw.Length > 0)
            {
                throw new UsageException("Give the batch either with --file or with --announce/--withdraw, not both.");
            }

            batch = ReadBatch(c, file);
        }
        else if (announce.Length == 0 && withdraw.Length == 0)
        {
            throw new UsageException("Say what to change: --announce PREFIX,NEXTHOP[,METRIC[,ORIGIN]], --withdraw PREFIX or --file batch.json.");
        }
        else
        {
            batch = new RouteUpdate { Announce = announce, Withdraw = withdraw };
        }

        var ack = await c.Client.SendJsonAsync(HttpMethod.Post, $"api/processes/{Escape(process)}/routes", batch, c.CancellationToken);
        c.Print(ack, d => Views.Acknowledgement(process, d));
        return ExitCodes.Ok;
    }

    private static RouteUpdate ReadBatch(CliContext c, string file)
    {
        string text;
        try
        {
            text = file == "-" ? Console.In.ReadToEnd() : File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--file '{file}' cannot be read: {e.Message}");
        }

        try
        {
            return JsonSerializer.Deserialize<RouteUpdate>(text, RedundancyJson.Options) ?? throw new UsageException($"--file '{file}' holds JSON null; give a route batch.");
        }
        catch (JsonException e)
        {
            throw new UsageException($"--file '{file}' is not a route batch ({{\"announce\":[...],\"withdraw\":[...]}}): {e.Message}");
        }
    }

    private static Route ParseRoute(string text, System.CommandLine.Parsing.ArgumentResult result)
    {
        var parts = text.Split(',');
        var metric = 0;
        if (parts.Length is < 2 or > 4 || parts.Any(string.IsNullOrWhiteSpace)
            || (parts.Length > 2 && !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out metric)))
        {
            result.AddError($"--announce '{text}' must be PREFIX,NEXTHOP[,METRIC[,ORIGIN]], for example 10.9.0.0/16,192.0.2.1,10,static.");
            return new Route();
        }

        return new Route { Prefix = parts[0], NextHop = parts[1], Metric = metric, Origin = parts.Length > 3 ? parts[3] : RouteOrigins.Static };
    }
}
