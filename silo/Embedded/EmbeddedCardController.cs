using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Management;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.ManagementApi;

namespace Redundancy.Orleans.Silo.Embedded;

/// <summary>
/// The embedded chassis's cards are its own processes: the management API's card faults are signals to them (kill
/// SIGKILL, hang SIGSTOP, resume SIGCONT) and provisioning starts and stops them. Cluster mode registers none (501).
/// </summary>
internal sealed class EmbeddedCardController(EmbeddedChassis chassis) : ICardController
{
    public IReadOnlyList<string> Versions => chassis.Versions;

    public string? Refusal(CardInfo card) => card.ProcessId is null ? $"Card '{card.CardId}' did not publish its process id." : null;

    public CardSignalled Kill(CardInfo card) => Signal(card, Signals.Kill, "SIGKILL");

    public CardSignalled Hang(CardInfo card) => Signal(card, Signals.Stop, "SIGSTOP");

    public CardSignalled Resume(CardInfo card) => Signal(card, Signals.Continue, "SIGCONT");

    public async Task<CardStopped> StopAsync(CardInfo card) =>
        new() { Card = card.CardId, Stopped = true, ExitCode = await chassis.StopCardAsync(card.CardId, TimeSpan.FromSeconds(30)) };

    public CardStarted Start(string cardId, string version)
    {
        var card = chassis.StartCard(cardId, version);
        return new CardStarted { Card = cardId, Version = version, Pid = card.ProcessId, Role = CardRoles.Spare, Log = card.LogPath };
    }

    public CardStarted AddSpare()
    {
        var card = chassis.StartSpare();
        return new CardStarted { Card = card.CardId, Pid = card.ProcessId, Role = CardRoles.Spare, Log = card.LogPath };
    }

    private static CardSignalled Signal(CardInfo card, int signal, string name)
    {
        var pid = card.ProcessId ?? throw new RedundancyException(RedundancyErrorKind.Unavailable, $"Card '{card.CardId}' did not publish its process id.");
        Signals.Send(pid, signal);
        return new CardSignalled { Card = card.CardId, Pid = pid, Signal = name };
    }
}
