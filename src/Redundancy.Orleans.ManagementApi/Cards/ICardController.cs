using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Management;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>
/// Card faults and provisioning of a host whose cards are its own processes (the embedded chassis): the management API's
/// <c>kill</c>, <c>hang</c>, <c>resume</c>, <c>stop</c>, <c>start</c> and new-spare endpoints call it. A host that does not
/// register one (a control card in cluster mode) answers those endpoints 501; declare-dead, fault injection inside the
/// chassis and everything else work without it.
/// </summary>
/// <remarks>
/// The API has already checked the card (known, not the control silo, alive where that matters) and recorded the
/// fault's time with the chassis manager, so that the failover's detect phase is timed.
/// </remarks>
public interface ICardController
{
    /// <summary>
    /// Why this host cannot act on <paramref name="card"/> (for example: it published no process id), or null. Asked before
    /// the fault is recorded, so that a refused fault leaves no trace in the failover timings.
    /// </summary>
    string? Refusal(CardInfo card);

    /// <summary>The software versions this host can start cards at.</summary>
    IReadOnlyList<string> Versions { get; }

    /// <summary>Kills the card's process at once (SIGKILL).</summary>
    CardSignalled Kill(CardInfo card);

    /// <summary>Freezes the card's process (SIGSTOP): it stops answering without closing its connections.</summary>
    CardSignalled Hang(CardInfo card);

    /// <summary>Lets a hung card's process run again (SIGCONT).</summary>
    CardSignalled Resume(CardInfo card);

    /// <summary>Stops a card that serves no slot, gracefully.</summary>
    Task<CardStopped> StopAsync(CardInfo card);

    /// <summary>Starts a stopped or dead card again as a spare, at one of <see cref="Versions"/>.</summary>
    CardStarted Start(string cardId, string version);

    /// <summary>Starts a new card; it joins as a spare.</summary>
    CardStarted AddSpare();
}
