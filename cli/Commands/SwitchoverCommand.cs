using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Cli.Output;
using Redundancy.Orleans.Processes;
using static Redundancy.Orleans.Cli.Commands.Arguments;

namespace Redundancy.Orleans.Cli.Commands;

/// <summary>
/// <c>switchover &lt;slot&gt; [--to card]</c> (alias <c>drain</c>): planned switchover of a slot to a live spare, then
/// a wait until every process of the slot is ready there (POST /api/slots/{slot}/switchover).
/// </summary>
internal static class SwitchoverCommand
{
    public static Command Create(Verbs verbs)
    {
        var slot = Slot();
        var to = new Option<string?>("--to") { Description = "The live spare that takes the slot over [default: the first live spare]", HelpName = "card" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the chassis accepted the switchover, without waiting for the processes" };
        var timeout = GlobalOptions.Seconds("--timeout", "How long to wait for the slot's processes to be ready on the new card [default: 60]");
        var command = verbs.Verb("switchover", "Planned switchover of a slot to a live spare; the vacated card becomes a spare",
            c => RunAsync(c, c.Get(slot), c.Get(to), c.Get(noWait), c.Get(timeout) ?? TimeSpan.FromSeconds(60)),
            "redundancy switchover 2", "redundancy switchover 2 --to spare-1", "redundancy switchover 2 --no-wait --json");
        command.Aliases.Add("drain");
        command.Add(slot);
        command.Add(to);
        command.Add(noWait);
        command.Add(timeout);
        return command;
    }

    private static async Task<int> RunAsync(CliContext c, int slot, string? to, bool noWait, TimeSpan timeout)
    {
        if (to is null)
        {
            var status = Views.As<ChassisStatus>(await c.SendAsync(HttpMethod.Get, "api/chassis"));
            to = status.Cards.FirstOrDefault(x => x.Alive && x.Role == CardRoles.Spare)?.CardId
                ?? throw new Client.Upgrade.UpgradeException(Client.Upgrade.UpgradeErrorKind.Blocked, $"No live spare to switch slot {slot} over to; add one first (redundancy cards add).");
        }

        var started = await c.SendAsync(HttpMethod.Post, $"api/slots/{slot.ToString(CultureInfo.InvariantCulture)}/switchover?to={Escape(to)}");
        if (noWait)
        {
            c.Print(started, d => $"slot {slot} switching over to {to} (event {d.GetProperty("id")}){Environment.NewLine}");
            return ExitCodes.Ok;
        }

        var id = started.GetProperty("id").GetInt64();
        await ProgressDisplay.RunAsync(c, $"switching slot {slot} over to {to}", async progress =>
        {
            progress($"slot {slot}: switchover to {to} accepted (event {id}); waiting for its processes to be ready there");
            return await c.Client.WaitForAsync(s => s.Processes.Where(p => p.Slot == slot).All(p => p.CardId == to && p.State == ProcessState.Ready),
                timeout, $"slot {slot}'s processes ready on {to}", c.CancellationToken);
        });
        var events = await c.SendAsync(HttpMethod.Get, $"api/events?after={(id - 1).ToString(CultureInfo.InvariantCulture)}");
        var done = events.EnumerateArray().Cast<JsonElement?>().FirstOrDefault(e => e!.Value.GetProperty("id").GetInt64() == id) ?? started;
        c.Print(done, d => ((d.TryGetProperty("message", out var m) ? m.GetString() : null) ?? $"slot {slot} switched over to {to}") + Environment.NewLine);
        return ExitCodes.Ok;
    }
}
