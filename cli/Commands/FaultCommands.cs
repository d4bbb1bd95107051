using System.CommandLine;
using static Redundancy.Orleans.Cli.Commands.Arguments;

namespace Redundancy.Orleans.Cli.Commands;

/// <summary>
/// <c>fault crash|kill|hang|resume|declare-dead</c>: fault injection. Every fault but resume is destructive and
/// asks for confirmation (or --yes). The partition fault comes with the replication protocol's rework; it goes
/// here, destructive like the others.
/// </summary>
internal static class FaultCommands
{
    public static Command Create(Verbs verbs)
    {
        var fault = verbs.Group("fault", "Fault injection: crash a process; kill, hang, resume or declare dead a card",
            "redundancy fault crash bgp-1 --yes", "redundancy fault kill card-2 --yes");

        var process = Process();
        var poison = new Option<bool>("--poison") { Description = "Also poison its replicated state, so that every restore crashes it until it is quarantined" };
        var crash = verbs.Verb("crash", "Crash a process: it restarts on its card and restores from its replicas (POST /api/processes/{name}/crash)",
            async c =>
            {
                var name = c.Get(process);
                var poisoned = c.Get(poison);
                c.Confirm(poisoned ? $"Crash {name} and poison its state (it will be quarantined)" : $"Crash {name}");
                c.Print(await c.SendAsync(HttpMethod.Post, $"api/processes/{Escape(name)}/crash{(poisoned ? "?poison=true" : "")}"),
                    _ => $"{name} crashed{(poisoned ? " with poisoned state" : "")}; it restarts and restores from its replicas{Environment.NewLine}");
                return ExitCodes.Ok;
            },
            "redundancy fault crash bgp-1 --yes", "redundancy fault crash bgp-1 --poison --yes");
        crash.Add(process);
        crash.Add(poison);
        fault.Add(crash);

        fault.Add(CardFault(verbs, "kill", "Kill a card's process with SIGKILL (embedded chassis): its slot fails over to a spare", "SIGKILL card", destructive: true));
        fault.Add(CardFault(verbs, "hang", "Hang a card's process with SIGSTOP (embedded chassis): it is declared dead and fails over", "SIGSTOP card", destructive: true));
        fault.Add(CardFault(verbs, "resume", "Resume a hung card with SIGCONT (embedded chassis); it comes back as a spare", null, destructive: false));
        fault.Add(CardFault(verbs, "declare-dead", "Declare a card dead at once (membership TryKill), when something else already knows it is gone", "Declare dead card", destructive: true));
        return fault;
    }

    private static Command CardFault(Verbs verbs, string action, string description, string? confirm, bool destructive)
    {
        var card = Card();
        var command = verbs.Verb(action, $"{description} (POST /api/cards/{{id}}/{action})",
            async c =>
            {
                var id = c.Get(card);
                if (destructive)
                {
                    c.Confirm($"{confirm} {id}");
                }

                c.Print(await c.SendAsync(HttpMethod.Post, $"api/cards/{Escape(id)}/{action}"), Output.Views.Fields);
                return ExitCodes.Ok;
            },
            $"redundancy fault {action} card-2{(destructive ? " --yes" : "")}");
        command.Add(card);
        return command;
    }
}
