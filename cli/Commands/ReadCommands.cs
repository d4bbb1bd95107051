using System.CommandLine;
using System.Text.Json;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Cli.Output;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using static Redundancy.Orleans.Cli.Commands.Arguments;

namespace Redundancy.Orleans.Cli.Commands;

/// <summary>The read verbs: status, process, routes, forwarding, builds.</summary>
internal static class ReadCommands
{
    public static IEnumerable<Command> Create(Verbs verbs)
    {
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep showing the status as it changes, until Ctrl+C" };
        var interval = GlobalOptions.Seconds("--interval", "How often --watch reads the chassis [default: 1]");
        var status = verbs.Verb("status", "Cards and processes (GET /api/chassis)", c => StatusAsync(c, c.Get(watch), c.Get(interval) ?? TimeSpan.FromSeconds(1)),
            "redundancy status", "redundancy status --watch", "redundancy status --json | jq '.processes[] | {name, state, cardId}'");
        status.Add(watch);
        status.Add(interval);
        yield return status;

        var process = Process();
        var one = verbs.Verb("process", "One process's status: state, epoch, seq, replicas, last audit (GET /api/processes/{name})",
            c => ShowAsync(c, $"api/processes/{Escape(c.Get(process))}", Views.Process), "redundancy process bgp-1", "redundancy process bgp-1 --json");
        one.Add(process);
        yield return one;

        var routesOf = Process();
        var routes = verbs.Verb("routes", "A process's routing table, every path with its best flag (GET /api/processes/{name}/routes)",
            c => ShowAsync(c, $"api/processes/{Escape(c.Get(routesOf))}/routes", Views.Routes), "redundancy routes bgp-1", "redundancy routes bgp-1 --json | jq '.routes | length'");
        routes.Add(routesOf);
        yield return routes;

        var forwardingOf = Process();
        var forwarding = verbs.Verb("forwarding", "A process's entries in its card's forwarding table (GET /api/processes/{name}/forwarding)",
            c => ShowAsync(c, $"api/processes/{Escape(c.Get(forwardingOf))}/forwarding", Views.Forwarding), "redundancy forwarding bgp-1");
        forwarding.Add(forwardingOf);
        yield return forwarding;

        yield return verbs.Verb("builds", "The software versions the chassis can start cards at (GET /api/builds)",
            c => ShowAsync(c, "api/builds", d => string.Join(Environment.NewLine, d.GetProperty("versions").EnumerateArray().Select(v => v.GetString())) + Environment.NewLine),
            "redundancy builds");
    }

    public static async Task<int> ShowAsync(CliContext c, string path, Func<JsonElement, string> human)
    {
        c.Print(await c.SendAsync(HttpMethod.Get, path), human);
        return ExitCodes.Ok;
    }

    private static async Task<int> StatusAsync(CliContext c, bool watch, TimeSpan interval)
    {
        if (!watch)
        {
            return await ShowAsync(c, "api/chassis", d => StatusTable.Render(Views.As<ChassisStatus>(d)));
        }

        return await Watch.RunAsync(c, interval, async ct =>
        {
            var document = await c.Client.SendJsonAsync(HttpMethod.Get, "api/chassis", null, ct);
            return (document, StatusTable.Render(Views.As<ChassisStatus>(document)));
        });
    }
}
