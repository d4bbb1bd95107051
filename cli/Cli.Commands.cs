using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Client;

namespace Redundancy.Orleans.Cli;

/// <summary>status, routes, fault, drain.</summary>
internal static partial class Cli
{
    private static async Task<int> StatusAsync(CommandContext c, CancellationToken ct)
    {
        c.Args.NoMoreWords(1);
        var status = await c.Client.GetChassisAsync(ct);
        if (c.Json)
        {
            c.WriteJson(status);
        }
        else
        {
            c.Out.Write(StatusTable.Render(status));
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> RoutesAsync(CommandContext c, CancellationToken ct)
    {
        var process = c.Args.Word(1, "process name (redundancy routes <process>)");
        c.Args.NoMoreWords(2);
        var table = await c.Client.GetRoutesAsync(process, ct);
        if (c.Json)
        {
            c.WriteJson(table);
            return ExitCodes.Ok;
        }

        c.Out.WriteLine($"{table.Process}: epoch {table.Epoch}, seq {table.Seq}, {table.Routes.Count} paths");
        c.Out.WriteLine($"  {"PREFIX",-22} {"NEXT HOP",-26} {"METRIC",-8} {"ORIGIN",-10} BEST");
        foreach (var r in table.Routes)
        {
            c.Out.WriteLine($"  {r.Route.Prefix,-22} {r.Route.NextHop,-26} {r.Route.Metric,-8} {r.Route.Origin,-10} {(r.Best ? "*" : "")}");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> FaultAsync(CommandContext c, CancellationToken ct)
    {
        var kind = c.Args.Word(1, "fault kind (crash, kill, hang, resume)");
        var target = c.Args.Word(2, kind == "crash" ? "process name" : "card id");
        c.Args.NoMoreWords(3);
        switch (kind)
        {
            case "crash":
                await c.Client.CrashAsync(target, c.Args.Has("poison"), ct);
                break;
            case "kill":
                await c.Client.KillCardAsync(target, ct);
                break;
            case "hang":
                await c.Client.HangCardAsync(target, ct);
                break;
            case "resume":
                await c.Client.ResumeCardAsync(target, ct);
                break;
            default:
                throw new UsageException($"Unknown fault '{kind}': use crash, kill, hang or resume.");
        }

        Done(c, new { fault = kind, target }, $"{kind} injected into {target}");
        return ExitCodes.Ok;
    }

    private static async Task<int> DrainAsync(CommandContext c, CancellationToken ct)
    {
        var text = c.Args.Word(1, "slot number (redundancy drain <slot> [--to <spare>])");
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var slot) || slot < 1)
        {
            throw new UsageException($"Slot '{text}' is not a slot number (1 or more).");
        }

        c.Args.NoMoreWords(2);
        var status = await c.Client.GetChassisAsync(ct);
        var to = c.Args.Get("to")
            ?? status.Cards.FirstOrDefault(x => x.Alive && x.Role == CardRoles.Spare)?.CardId
            ?? throw new Redundancy.Orleans.Client.Upgrade.UpgradeException(Redundancy.Orleans.Client.Upgrade.UpgradeErrorKind.Blocked, "No live spare to drain the slot to; add one first.");
        c.Progress($"switching slot {slot} over to {to}");
        var (done, _) = await c.Client.DrainAsync(slot, to, TimeSpan.FromSeconds(60), ct);
        Done(c, done, done.Message ?? $"slot {slot} switched over to {to}");
        return ExitCodes.Ok;
    }

    private static void Done(CommandContext c, object json, string text)
    {
        if (c.Json)
        {
            c.WriteJson(json);
        }
        else
        {
            c.Out.WriteLine(text);
        }
    }
}
