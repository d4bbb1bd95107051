using System.CommandLine;

namespace Redundancy.Orleans.Cli;

/// <summary>Makes the commands: each with its action bound to the console, its help examples and the API operations it calls.</summary>
internal sealed class Verbs(CliConsole console)
{
    /// <summary>Help examples by command (shown after the options; see <see cref="CliHelp"/>).</summary>
    public Dictionary<Command, string[]> Examples { get; } = [];

    /// <summary>
    /// The management API operations each command exposes, as <c>METHOD /path</c> the way /openapi/v1.json names them.
    /// A test compares them with the document: every operation has a verb, and no verb names one that is gone.
    /// </summary>
    public Dictionary<Command, string[]> Operations { get; } = [];

    /// <summary>A command that runs <paramref name="run"/>; <paramref name="examples"/> are complete command lines.</summary>
    public Command Verb(string name, string description, Func<CliContext, Task<int>> run, params string[] examples)
    {
        var command = new Command(name, description);
        command.SetAction(async (parse, ct) =>
        {
            using var context = new CliContext(parse, console, ct);
            return await run(context);
        });
        Examples[command] = examples;
        return command;
    }

    /// <summary>A group of subcommands (no action of its own: without a subcommand it shows its help, exit 2).</summary>
    public Command Group(string name, string description, params string[] examples)
    {
        var command = new Command(name, description);
        Examples[command] = examples;
        return command;
    }

    /// <summary>Records the API operations <paramref name="command"/> exposes and names them at the end of its description.</summary>
    public Command Calls(Command command, params string[] operations)
    {
        Operations[command] = operations;
        command.Description = $"{command.Description} ({string.Join(", ", operations)})";
        return command;
    }
}
