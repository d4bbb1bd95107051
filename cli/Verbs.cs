using System.CommandLine;

namespace Redundancy.Orleans.Cli;

/// <summary>Makes the commands: each with its action bound to the console, and its help examples.</summary>
internal sealed class Verbs(CliConsole console)
{
    /// <summary>Help examples by command (shown after the options; see <see cref="CliHelp"/>).</summary>
    public Dictionary<Command, string[]> Examples { get; } = [];

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
}
