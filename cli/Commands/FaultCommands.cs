using System.CommandLine;
using Redundancy.Orleans.Faults;
using static Redundancy.Orleans.Cli.Commands.Arguments;

namespace Redundancy.Orleans.Cli.Commands;

/// <summary>
/// <c>fault crash|kill|hang|resume|declare-dead|partition|heal|slow|crash-point</c>: fault injection. The faults that
/// kill, stop or cut off something ask for confirmation (or --yes); resume, heal and slow (which ends with --ms 0) do not.
/// </summary>
internal static class FaultCommands
{
    public static Command Create(Verbs verbs)
    {
        var fault = verbs.Group("fault", "Fault injection: crash a process; kill, hang, resume, partition, slow or declare dead a card",
            "redundancy fault crash bgp-1 --yes", "redundancy fault kill card-2 --yes", "redundancy fault partition card-1 --from card-2 --yes");

        var process = Process();
        var poison = new Option<bool>("--poison") { Description = "Also poison its replicated state, so that every restore crashes it until it is quarantined" };
        var crash = verbs.Verb("crash", "Crash a process: it restarts on its card and restores from its replicas",
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
        verbs.Calls(crash, "POST /api/processes/{name}/crash");
        crash.Add(process);
        crash.Add(poison);
        fault.Add(crash);

        fault.Add(CardFault(verbs, "kill", "Kill a card's process with SIGKILL (embedded chassis): its slot fails over to a spare", "SIGKILL card", destructive: true));
        fault.Add(CardFault(verbs, "hang", "Hang a card's process with SIGSTOP (embedded chassis): it is declared dead and fails over", "SIGSTOP card", destructive: true));
        fault.Add(CardFault(verbs, "resume", "Resume a hung card with SIGCONT (embedded chassis); it comes back as a spare", null, destructive: false));
        fault.Add(CardFault(verbs, "declare-dead", "Declare a card dead at once (membership TryKill), when something else already knows it is gone", "Declare dead card", destructive: true));
        fault.Add(Partition(verbs, heal: false));
        fault.Add(Partition(verbs, heal: true));
        fault.Add(Slow(verbs));
        fault.Add(CrashPoint(verbs));
        return fault;
    }

    private static Command CardFault(Verbs verbs, string action, string description, string? confirm, bool destructive)
    {
        var card = Card();
        var command = verbs.Verb(action, description,
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
        verbs.Calls(command, $"POST /api/cards/{{id}}/{action}");
        command.Add(card);
        return command;
    }

    /// <summary><c>partition</c> (destructive: the cards cannot call each other) and <c>heal</c> (undoes it): both ways, membership untouched.</summary>
    private static Command Partition(Verbs verbs, bool heal)
    {
        var card = Card();
        var from = new Option<string>("--from") { Description = "The other card (grain calls are blocked, or flow again, both ways)", HelpName = "card", Required = true };
        var command = heal
            ? verbs.Verb("heal", "Heal a partition between two cards: grain calls between them flow again",
                c => InjectAsync(c, HttpMethod.Delete, $"api/cards/{Escape(c.Get(card))}/partition?from={Escape(c.Get(from)!)}"),
                "redundancy fault heal card-1 --from card-2")
            : verbs.Verb("partition", "Partition two cards: grain calls between them are blocked both ways, membership is untouched; needs fault injection on (the embedded chassis has it)",
                c =>
                {
                    c.Confirm($"Partition card {c.Get(card)} from {c.Get(from)}");
                    return InjectAsync(c, HttpMethod.Post, $"api/cards/{Escape(c.Get(card))}/partition?from={Escape(c.Get(from)!)}");
                },
                "redundancy fault partition card-1 --from card-2 --yes", "redundancy fault heal card-1 --from card-2");
        verbs.Calls(command, $"{(heal ? "DELETE" : "POST")} /api/cards/{{id}}/partition");
        command.Add(card);
        command.Add(from);
        return command;
    }

    private static Command Slow(Verbs verbs)
    {
        var card = Card();
        var ms = new Option<int>("--ms")
        {
            Description = $"Delay added to every incoming grain call, in milliseconds, 0..{MaxSlowMs} (0 ends it)",
            HelpName = "milliseconds",
            Required = true,
            CustomParser = r => (int)GlobalOptions.ParseWhole(r, "--ms", 0, MaxSlowMs),
        };
        var command = verbs.Verb("slow", "Slow a card down: every incoming grain call waits --ms first; needs fault injection on",
            c => InjectAsync(c, HttpMethod.Post, $"api/cards/{Escape(c.Get(card))}/slow?ms={Output.Views.N(c.Get(ms))}"),
            "redundancy fault slow card-2 --ms 200", "redundancy fault slow card-2 --ms 0      # back to normal");
        verbs.Calls(command, "POST /api/cards/{id}/slow");
        command.Add(card);
        command.Add(ms);
        return command;
    }

    /// <summary>The API's bound for <c>ms</c> (a longer delay would look like a dead card, which is what 'hang' is for).</summary>
    internal const int MaxSlowMs = 10_000;

    private static Command CrashPoint(Verbs verbs)
    {
        var process = Process();
        var at = new Option<string>("--at")
        {
            Description = $"Where in the process's next commit its card kills itself: {string.Join(", ", CrashPoints.All)}",
            HelpName = "point",
            Required = true,
            CustomParser = r =>
            {
                var text = r.Tokens[0].Value;
                if (!CrashPoints.All.Contains(text))
                {
                    r.AddError($"--at '{text}' is not a crash point: use {string.Join(", ", CrashPoints.All)}.");
                }

                return text;
            },
        };
        at.CompletionSources.Add([.. CrashPoints.All]);
        var command = verbs.Verb("crash-point", "Arm a crash: the process's card kills itself (SIGKILL) at a named point of the process's next commit",
            c =>
            {
                c.Confirm($"Kill the card of {c.Get(process)} at {c.Get(at)} of its next commit");
                return InjectAsync(c, HttpMethod.Post, $"api/processes/{Escape(c.Get(process))}/crash-point?at={Escape(c.Get(at)!)}");
            },
            $"redundancy fault crash-point bgp-1 --at {CrashPoints.AfterReplicaAck} --yes");
        verbs.Calls(command, "POST /api/processes/{name}/crash-point");
        command.Add(process);
        command.Add(at);
        return command;
    }

    private static async Task<int> InjectAsync(CliContext c, HttpMethod method, string path)
    {
        c.Print(await c.SendAsync(method, path), d => $"{d.GetProperty("card").GetString()}: {d.GetProperty("fault").GetString()}{Environment.NewLine}");
        return ExitCodes.Ok;
    }
}
