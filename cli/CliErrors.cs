using System.CommandLine;
using System.CommandLine.Parsing;

namespace Redundancy.Orleans.Cli;

/// <summary>
/// A command line the parser refused: one clear message per problem (an unknown word names the command it was
/// given to and suggests the nearest valid one), a pointer to that command's help, exit code 2. Nothing is sent.
/// </summary>
internal static class CliErrors
{
    public static int ParseFailed(ParseResult parse, RootCommand root, CliConsole console)
    {
        var result = parse.CommandResult;
        var command = result.Command;
        var path = CliHelp.PathOf(result);
        var messages = new List<string>();
        if (parse.UnmatchedTokens.Count > 0)
        {
            messages.Add(Unknown(parse.UnmatchedTokens[0], result, path));
        }

        messages.AddRange(parse.Errors
            .Where(e => !parse.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal)))
            .Where(e => !(e.SymbolResult is CommandResult && command.Subcommands.Count > 0 && command.Action is null && e.Message == RequiredCommand))
            .Select(e => e.Message)
            .Distinct());
        if (messages.Count == 0)
        {
            // A group called without its subcommand (or no command at all): show what it offers.
            CliHelp.Write(root, result, console.Error);
            messages.Add($"'{path}' needs a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}.");
        }

        foreach (var message in messages)
        {
            console.Error.WriteLine("error: " + message);
        }

        console.Error.WriteLine($"Run '{path} --help' for usage and examples.");
        return ExitCodes.Usage;
    }

    private static string RequiredCommand { get; } = new RootCommand { new Command("x") }.Parse([]).Errors.Select(e => e.Message).FirstOrDefault() ?? "";

    private static string Unknown(string token, CommandResult result, string path)
    {
        var command = result.Command;
        if (token.StartsWith('-'))
        {
            var options = OptionsOf(result).Where(o => !o.Hidden).ToList();
            var names = options.SelectMany(o => o.Aliases.Prepend(o.Name)).ToList();
            return $"Unknown option '{token}' for '{path}'.{Suggest(token, names)} Its options: {string.Join(", ", options.Select(o => o.Name))}.";
        }

        if (command.Subcommands.Count > 0 && result.Children.OfType<ArgumentResult>().All(a => a.Tokens.Count == 0))
        {
            var names = command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)).ToList();
            return $"Unknown command '{token}' for '{path}'.{Suggest(token, names)} Its commands: {string.Join(", ", command.Subcommands.Select(c => c.Name))}.";
        }

        return $"Unexpected argument '{token}' for '{path}'" + (command.Arguments.Count == 0 ? " (it takes none)." : $" (it takes {string.Join(" ", command.Arguments.Select(a => $"<{a.Name}>"))}).");
    }

    /// <summary>The options valid for a command: its own and the recursive ones of the commands above it.</summary>
    private static IEnumerable<Option> OptionsOf(CommandResult result)
    {
        var options = new List<Option>(result.Command.Options);
        for (var parent = result.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
        {
            options.AddRange(parent.Command.Options.Where(o => o.Recursive && !options.Contains(o)));
        }

        return options;
    }

    /// <summary>" Did you mean 'x'?" for the nearest name within a few edits, else nothing.</summary>
    private static string Suggest(string token, IEnumerable<string> names)
    {
        var best = names
            .Select(n => (Name: n, Distance: Distance(token.TrimStart('-'), n.TrimStart('-'))))
            .Where(x => x.Distance <= Math.Max(2, x.Name.Length / 3))
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        return best.Name is null ? "" : $" Did you mean '{best.Name}'?";
    }

    /// <summary>Edit distance with adjacent transpositions (optimal string alignment).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
