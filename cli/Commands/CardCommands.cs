using System.CommandLine;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Cli.Output;
using Redundancy.Orleans.Client;
using static Redundancy.Orleans.Cli.Commands.Arguments;

namespace Redundancy.Orleans.Cli.Commands;

/// <summary><c>cards [add|stop|start|build|shadow-restore]</c>: the cards and their provisioning.</summary>
internal static class CardCommands
{
    public static Command Create(Verbs verbs)
    {
        var cards = verbs.Verb("cards", "The cards (the 'cards' of GET /api/chassis), and their provisioning",
            async c =>
            {
                var status = await c.SendAsync(HttpMethod.Get, "api/chassis");
                c.Print(status.GetProperty("cards"), d => StatusTable.Cards(Views.As<List<CardInfo>>(d)));
                return ExitCodes.Ok;
            },
            "redundancy cards", "redundancy cards add", "redundancy cards stop spare-1 --yes", "redundancy cards start spare-1 --version 2.0.0");

        cards.Add(verbs.Verb("add", "Start a replacement card; it joins as a spare (embedded chassis; POST /api/cards)",
            async c =>
            {
                c.Print(await c.SendAsync(HttpMethod.Post, "api/cards"), d => $"started {d.GetProperty("card").GetString()} (pid {d.GetProperty("pid")}); it joins as a spare{Environment.NewLine}");
                return ExitCodes.Ok;
            },
            "redundancy cards add"));

        var stopped = Card();
        var stop = verbs.Verb("stop", "Stop a card that serves no slot, gracefully (embedded chassis; POST /api/cards/{id}/stop)",
            async c =>
            {
                var id = c.Get(stopped);
                c.Confirm($"Stop card {id}");
                c.Print(await c.SendAsync(HttpMethod.Post, $"api/cards/{Escape(id)}/stop"), Views.Fields);
                return ExitCodes.Ok;
            },
            "redundancy cards stop spare-1 --yes");
        stop.Add(stopped);
        cards.Add(stop);

        var started = Card();
        var version = new Option<string>("--version") { Description = "The software version to start it at (see 'redundancy builds')", HelpName = "version", Required = true };
        var start = verbs.Verb("start", "Start a stopped card as a spare at a software version (embedded chassis; POST /api/cards/{id}/start)",
            async c =>
            {
                var id = c.Get(started);
                c.Print(await c.SendAsync(HttpMethod.Post, $"api/cards/{Escape(id)}/start?version={Escape(c.Get(version)!)}"), Views.Fields);
                return ExitCodes.Ok;
            },
            "redundancy cards start spare-1 --version 2.0.0");
        start.Add(started);
        start.Add(version);
        cards.Add(start);

        var built = Card();
        var build = verbs.Verb("build", "A card's build: version, state schemas it reads, interface versions (GET /api/cards/{id}/build)",
            c => ReadCommands.ShowAsync(c, $"api/cards/{Escape(c.Get(built))}/build", Views.Build), "redundancy cards build card-1");
        build.Add(built);
        cards.Add(build);

        var probed = Card();
        var process = new Option<string?>("--process") { Description = "Only this process", HelpName = "name" };
        var shadow = verbs.Verb("shadow-restore", "Restore every process's current state in shadow on a card and compare it with the primary; nothing is taken over (POST /api/cards/{id}/shadow-restore)",
            async c =>
            {
                var query = c.Get(process) is { } name ? "?process=" + Escape(name) : "";
                c.Print(await c.SendAsync(HttpMethod.Post, $"api/cards/{Escape(c.Get(probed))}/shadow-restore{query}"), Views.ShadowRestore);
                return ExitCodes.Ok;
            },
            "redundancy cards shadow-restore spare-1", "redundancy cards shadow-restore spare-1 --process bgp-1");
        shadow.Add(probed);
        shadow.Add(process);
        cards.Add(shadow);
        return cards;
    }
}
