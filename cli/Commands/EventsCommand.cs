using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Cli.Output;

namespace Redundancy.Orleans.Cli.Commands;

/// <summary><c>events [--after N] [--follow]</c>: the chassis timeline (GET /api/events).</summary>
internal static class EventsCommand
{
    public static Command Create(Verbs verbs)
    {
        var after = new Option<long>("--after") { Description = "Only events after this id", HelpName = "id", CustomParser = r => GlobalOptions.ParseWhole(r, "--after", 0, long.MaxValue) };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events as they happen, until Ctrl+C" };
        var interval = GlobalOptions.Seconds("--interval", "How often --follow asks for new events [default: 0.5]");
        var command = verbs.Verb("events", "Chassis events: failovers with their phases, switchovers, spares joining, upgrade steps (GET /api/events)",
            c => RunAsync(c, c.Get(after), c.Get(follow), c.Get(interval) ?? TimeSpan.FromMilliseconds(500)),
            "redundancy events", "redundancy events --after 12", "redundancy events --follow", "redundancy events --json | jq -r '.[].message'");
        command.Add(after);
        command.Add(follow);
        command.Add(interval);
        return command;
    }

    private static async Task<int> RunAsync(CliContext c, long after, bool follow, TimeSpan interval)
    {
        var document = await c.SendAsync(HttpMethod.Get, Path(after));
        if (!follow)
        {
            c.Print(document, d => Views.Events(Views.As<List<ChassisEvent>>(d)));
            return ExitCodes.Ok;
        }

        var seen = new Dictionary<long, string?>();
        Print(c, document, seen, header: true);
        try
        {
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(c.CancellationToken))
            {
                try
                {
                    // A failover's event is completed later (its processes become ready): ask again for the last few.
                    var from = Math.Max(after, seen.Count == 0 ? after : seen.Keys.Max() - ReopenWindow);
                    Print(c, await c.Client.SendJsonAsync(HttpMethod.Get, Path(from), null, c.CancellationToken), seen, header: false);
                }
                catch (Exception e) when (e is HttpRequestException or Client.ChassisApiException or TaskCanceledException && !c.CancellationToken.IsCancellationRequested)
                {
                    c.Console.Error.WriteLine($"not answering: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (c.CancellationToken.IsCancellationRequested)
        {
            // Ctrl+C is how --follow ends.
        }

        return ExitCodes.Ok;
    }

    private const long ReopenWindow = 20;

    /// <summary>Prints each event that is new or whose message changed (one JSON document per line with --json).</summary>
    private static void Print(CliContext c, JsonElement document, Dictionary<long, string?> seen, bool header)
    {
        var events = Views.As<List<ChassisEvent>>(document);
        var elements = document.EnumerateArray().ToList();
        var changed = Enumerable.Range(0, events.Count)
            .Where(i => !seen.TryGetValue(events[i].Id, out var message) || message != events[i].Message)
            .ToList();
        foreach (var i in changed)
        {
            seen[events[i].Id] = events[i].Message;
        }

        if (c.Json)
        {
            changed.ForEach(i => c.WriteJsonLine(elements[i]));
        }
        else if (changed.Count > 0 || header)
        {
            c.Console.Out.Write(Views.Events(changed.Select(i => events[i]), header));
        }

        c.Console.Out.Flush();
    }

    private static string Path(long after) => "api/events?after=" + after.ToString(CultureInfo.InvariantCulture);
}
