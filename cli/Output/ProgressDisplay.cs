using System.Globalization;
using Spectre.Console;

namespace Redundancy.Orleans.Cli.Output;

/// <summary>
/// Progress of long work (switchovers, upgrade campaigns): a spinner with the current step and the steps done
/// above it when standard output is a terminal; plain time-stamped lines when it is redirected (on standard
/// error with --json, so that standard output stays one JSON document).
/// </summary>
internal static class ProgressDisplay
{
    public static async Task<T> RunAsync<T>(CliContext c, string title, Func<Action<string>, Task<T>> work)
    {
        if (c.Console.IsTerminal && !c.Json)
        {
            T result = default!;
            await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(title), async status =>
            {
                result = await work(line =>
                {
                    AnsiConsole.MarkupLine($"[grey]{Now()}[/] {Markup.Escape(line)}");
                    status.Status(Markup.Escape(line));
                });
            });
            return result;
        }

        var writer = c.Json ? c.Console.Error : c.Console.Out;
        return await work(line => writer.WriteLine($"[{Now()}] {line}"));
    }

    private static string Now() => TimeProvider.System.GetLocalNow().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
