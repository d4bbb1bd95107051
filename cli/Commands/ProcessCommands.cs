using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Redundancy.Orleans.Cli.Output;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Routing;
using static Redundancy.Orleans.Cli.Commands.Arguments;

namespace Redundancy.Orleans.Cli.Commands;

/// <summary>The process verbs that change something: update (announce and withdraw routes), release.</summary>
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
        var update = verbs.Verb("update", "Announce and withdraw routes; returns once acknowledged (POST /api/processes/{name}/routes)",
            c => UpdateAsync(c, c.Get(process), c.Get(announce) ?? [], c.Get(withdraw) ?? [], c.Get(file)),
            "redundancy update bgp-1 --announce 10.9.0.0/16,192.0.2.1", "redundancy update bgp-1 -a 10.9.0.0/16,192.0.2.1,20,ebgp --withdraw 10.1.0.0/16",
            "redundancy update bgp-1 --file batch.json");
        update.Add(process);
        update.Add(announce);
        update.Add(withdraw);
        update.Add(file);
        yield return update;

        // When release gains its rebuild option (the protocol issue), that form is destructive: c.Confirm(...) it.
        var quarantined = Process();
        var release = verbs.Verb("release", "Lift a process's quarantine: it restarts and restores from its replicas (POST /api/processes/{name}/release)",
            async c =>
            {
                var name = c.Get(quarantined);
                c.Print(await c.SendAsync(HttpMethod.Post, $"api/processes/{Escape(name)}/release"), _ => $"{name} released: it restarts and restores from its replicas{Environment.NewLine}");
                return ExitCodes.Ok;
            },
            "redundancy release bgp-1");
        release.Add(quarantined);
        yield return release;
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
        c.Print(ack, d => $"{process}: acknowledged at seq {d.GetProperty("seq")}, epoch {d.GetProperty("epoch")} ({d.GetProperty("announced")} announced, {d.GetProperty("withdrawn")} withdrawn){Environment.NewLine}");
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
