using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Redundancy.Orleans.Cli;

/// <summary>Every help page ends with the command's examples and the exit codes.</summary>
internal static class CliHelp
{
    public const string Name = "redundancy";

    public static void Configure(RootCommand root, IReadOnlyDictionary<Command, string[]> examples)
    {
        root.HelpName = Name;
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new WithExamples((HelpAction)help.Action!, examples);
    }

    /// <summary>Writes a command's help page to <paramref name="writer"/> (a group called without its subcommand).</summary>
    public static void Write(RootCommand root, CommandResult command, TextWriter writer)
    {
        var path = PathOf(command).Split(' ').Skip(1).Append("--help").ToArray();
        root.Parse(path).Invoke(new InvocationConfiguration { Output = writer, Error = writer });
    }

    /// <summary>The command line that names a command: "redundancy fault crash".</summary>
    public static string PathOf(CommandResult? result)
    {
        var names = new List<string>();
        for (var r = result; r is not null; r = r.Parent as CommandResult)
        {
            names.Add(r.Command is RootCommand ? Name : r.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private sealed class WithExamples(HelpAction inner, IReadOnlyDictionary<Command, string[]> examples) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var code = inner.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            if (examples.TryGetValue(parseResult.CommandResult.Command, out var lines) && lines.Length > 0)
            {
                output.WriteLine("Examples:");
                foreach (var line in lines)
                {
                    output.WriteLine("  " + line);
                }

                output.WriteLine();
            }

            output.Write(ExitCodes.Text);
            output.WriteLine();
            return code;
        }
    }
}
