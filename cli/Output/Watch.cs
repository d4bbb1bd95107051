using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Redundancy.Orleans.Cli.Output;

/// <summary>
/// <c>--watch</c>: reads again every interval until Ctrl+C and shows what changed. On a terminal the view is
/// redrawn in place; redirected, each change is printed after a time line (with --json: one document per line).
/// The first read's failure ends the command with its exit code; later ones (a failover in progress) are shown
/// and retried.
/// </summary>
internal static class Watch
{
    public static async Task<int> RunAsync(CliContext c, TimeSpan interval, Func<CancellationToken, Task<(JsonElement Document, string Text)>> read)
    {
        var ct = c.CancellationToken;
        var first = await read(ct);
        try
        {
            if (c.Console.IsTerminal && !c.Json)
            {
                await AnsiConsole.Live(new Text(first.Text)).StartAsync(async live =>
                {
                    await LoopAsync(first.Text, interval, read, (text, _) =>
                    {
                        live.UpdateTarget(new Text($"{Now()}  (Ctrl+C to stop)\n\n{text}"));
                        live.Refresh();
                    }, error => live.UpdateTarget(new Text($"{Now()}  {error}")), ct);
                });
            }
            else
            {
                Show(c, first.Document, first.Text);
                await LoopAsync(first.Text, interval, read, (text, document) => Show(c, document, text), error => c.Console.Error.WriteLine($"[{Now()}] {error}"), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C is how a watch ends.
        }

        return ExitCodes.Ok;
    }

    private static async Task LoopAsync(string last, TimeSpan interval, Func<CancellationToken, Task<(JsonElement Document, string Text)>> read,
        Action<string, JsonElement> changed, Action<string> failed, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(ct))
        {
            try
            {
                var (document, text) = await read(ct);
                if (text != last)
                {
                    changed(text, document);
                    last = text;
                }
            }
            catch (Exception e) when (e is HttpRequestException or Client.ChassisApiException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                failed("not answering: " + e.Message);
                last = "";
            }
        }
    }

    private static void Show(CliContext c, JsonElement document, string text)
    {
        if (c.Json)
        {
            c.WriteJsonLine(document);
        }
        else
        {
            c.Console.Out.WriteLine($"--- {Now()}");
            c.Console.Out.Write(text);
            c.Console.Out.Flush();
        }
    }

    private static string Now() => TimeProvider.System.GetLocalNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
