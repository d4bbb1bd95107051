using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Management;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Silo.Embedded;

/// <summary>
/// Card-level fault injection and provisioning for the embedded chassis, whose cards are local processes:
/// kill (SIGKILL), hang (SIGSTOP), resume (SIGCONT), declare dead (membership TryKill), start a new spare.
/// Each fault's time is recorded with the chassis manager first, so the failover's detect phase is timed.
/// </summary>
/// <remarks>
/// In cluster mode (a control card, no <see cref="EmbeddedChassis"/>) the cards are not this host's processes:
/// only declare-dead is available; kill, hang, resume and new cards are refused with 501.
/// </remarks>
internal sealed class CardControl(CardDirectory cards, IClusterMembershipService membership, IGrainFactory grains, TimeProvider time, EmbeddedChassis? chassis = null)
{
    public async Task<CardSignalled> KillAsync(string cardId)
    {
        var (card, _) = Find(cardId, mustBeAlive: true);
        await RecordFaultAsync(cardId);
        Signals.Send(card.ProcessId!.Value, Signals.Kill);
        return new CardSignalled { Card = cardId, Pid = card.ProcessId, Signal = "SIGKILL" };
    }

    public async Task<CardSignalled> HangAsync(string cardId)
    {
        var (card, _) = Find(cardId, mustBeAlive: true);
        await RecordFaultAsync(cardId);
        Signals.Send(card.ProcessId!.Value, Signals.Stop);
        return new CardSignalled { Card = cardId, Pid = card.ProcessId, Signal = "SIGSTOP" };
    }

    public CardSignalled Resume(string cardId)
    {
        var (card, _) = Find(cardId, mustBeAlive: false);
        Signals.Send(card.ProcessId!.Value, Signals.Continue);
        return new CardSignalled { Card = cardId, Pid = card.ProcessId, Signal = "SIGCONT" };
    }

    public async Task<CardDeclaredDead> DeclareDeadAsync(string cardId)
    {
        var (_, silo) = Find(cardId, mustBeAlive: true, local: false);
        await RecordFaultAsync(cardId);
        var killed = await membership.TryKill(silo);
        return new CardDeclaredDead { Card = cardId, DeclaredDead = killed };
    }

    /// <summary>Provisioning (U1): graceful stop of a card that serves no slot.</summary>
    public async Task<CardStopped> StopAsync(string cardId)
    {
        var (card, _) = Find(cardId, mustBeAlive: true);
        if (card.Role == CardRoles.Line)
        {
            throw new RedundancyException(RedundancyErrorKind.Conflict,
                $"Card '{cardId}' serves slot {card.Slot}: switch the slot over to a spare first (POST /api/slots/{card.Slot}/switchover?to=<spare>).");
        }

        var exitCode = await Local().StopCardAsync(cardId, TimeSpan.FromSeconds(30));
        return new CardStopped { Card = cardId, Stopped = true, ExitCode = exitCode };
    }

    /// <summary>Provisioning (U1): starts a stopped or dead card again as a spare, at a software version.</summary>
    public CardStarted Start(string cardId, string? version)
    {
        if (string.IsNullOrWhiteSpace(version))
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"Say which software version to start card '{cardId}' at (?version=; known: {string.Join(", ", Local().Versions)}).");
        }

        if (cards.GetCards().Any(c => c.Card.CardId == cardId && c.Card.Alive))
        {
            throw new RedundancyException(RedundancyErrorKind.Conflict, $"Card '{cardId}' is alive; stop it first.");
        }

        var card = Local().StartCard(cardId, version);
        return new CardStarted { Card = cardId, Version = version, Pid = card.ProcessId, Role = CardRoles.Spare, Log = card.LogPath };
    }

    /// <summary>A live card other than the control silo, or a clear refusal (unknown 404, control 400, dead 409).</summary>
    public CardInfo RequireAlive(string cardId) => Find(cardId, mustBeAlive: true).Card;

    public CardStarted AddSpare()
    {
        var card = Local().StartSpare();
        return new CardStarted { Card = card.CardId, Pid = card.ProcessId, Role = CardRoles.Spare, Log = card.LogPath };
    }

    private EmbeddedChassis Local() => chassis ?? throw new NotSupportedException(
        "Cluster mode: cards are not processes of this host. Stop or start the card's container or process instead; declare-dead is available.");

    private async Task RecordFaultAsync(string cardId)
    {
        try
        {
            await grains.GetGrain<IChassisManager>(IChassisManager.Key).RecordFault(cardId, time.GetUtcNow()).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The fault must still be injected; only the detect-phase timing is lost.
        }
    }

    private (CardInfo Card, SiloAddress Silo) Find(string cardId, bool mustBeAlive, bool local = true)
    {
        if (local)
        {
            Local();
        }

        var found = cards.GetCards().FirstOrDefault(c => c.Card.CardId == cardId);
        if (found.Card is null)
        {
            throw new RedundancyException(RedundancyErrorKind.UnknownProcess,
                $"Unknown card '{cardId}': the chassis has {string.Join(", ", cards.GetCards().Select(c => c.Card.CardId))}.");
        }

        if (found.Card.Role == CardRoles.Control)
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"'{cardId}' is the control silo (it holds the membership table and this API); faults go to line cards and spares.");
        }

        if (mustBeAlive && !found.Card.Alive)
        {
            throw new RedundancyException(RedundancyErrorKind.NotServing, $"Card '{cardId}' is already dead.");
        }

        if (found.Card.ProcessId is null)
        {
            throw new RedundancyException(RedundancyErrorKind.Unavailable, $"Card '{cardId}' did not publish its process id.");
        }

        return found;
    }
}
