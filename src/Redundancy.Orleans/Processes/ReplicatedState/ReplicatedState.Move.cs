using Microsoft.Extensions.Logging;
using Orleans.Timers;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Processes;

/// <summary>Moving a primary to another card without a crash: degraded slots healed, planned switchovers (U1).</summary>
internal sealed partial class ReplicatedState<TState, TDelta>
{
    public async Task<string?> Handover(SlotMap map)
    {
        ThrowIfCrashed();
        _context.SlotMap.TryUpdate(map);
        if (_state != ProcessState.Ready || _session is null || ShouldMove() is not { } target)
        {
            return _moving ? "moving" : null;
        }

        if (await HandOverCheckAsync(target.Card.CardId) is { } notYet)
        {
            throw new RedundancyException(RedundancyErrorKind.NotProtected, $"Process '{Name}' does not hand over to card '{target.Card.CardId}' yet: {notYet}. It moves on a later tick.");
        }

        MoveTo(target);
        return target.Card.CardId;
    }

    /// <summary>
    /// A planned move loses nothing: every change must be held by the in-sync set first (periodic changes are flushed;
    /// hole 9). Null when the process may hand over, else why not.
    /// </summary>
    private async Task<string?> HandOverCheckAsync(string target)
    {
        if (_session is null)
        {
            return "not serving";
        }

        var why = await _session.ReadyToHandOverAsync();
        if (why is not null)
        {
            Log.HandOverDeferred(_logger, Name, target, why);
        }

        return why;
    }

    /// <summary>
    /// Hands over gracefully (a degraded slot got a card again, or a planned switchover): by migration with a
    /// placement hint so that no cached address re-creates the process here. The new activation restores from
    /// the in-sync set (the caller checked that it holds every change).
    /// </summary>
    private void MoveTo((CardInfo Card, SiloAddress Silo) target)
    {
        Log.Moving(_logger, Name, _context.CardId ?? "?", target.Card.CardId);
        _moving = true;
        _grain.Migrate(new Dictionary<string, object> { [global::Orleans.Runtime.Placement.IPlacementDirector.PlacementHintKey] = target.Silo });
    }

    /// <summary>
    /// Where to move, checked against the chassis manager's own slot map before moving: this card's copy of the
    /// map may be older than the one that brought the process here (a switchover), and acting on it would
    /// move the process back.
    /// </summary>
    private async Task<(CardInfo Card, SiloAddress Silo)?> MoveTargetAsync(IReadOnlyList<(CardInfo Card, SiloAddress Silo)> serving)
    {
        var target = ShouldMove(serving);
        if (target is null || _controlPlane)
        {
            return target;
        }

        // No authoritative map now: stay, the next tick asks again. With the fresh map, a fresh view of the cards.
        return await _context.SlotMap.RefreshAsync(_grains, _context.Options.RestoreTimeout) ? ShouldMove() : null;
    }

    private (CardInfo Card, SiloAddress Silo)? ShouldMove(IReadOnlyList<(CardInfo Card, SiloAddress Silo)>? serving = null)
    {
        if (_moving || _context.CardId is not { } here)
        {
            return null;
        }

        if (_controlPlane)
        {
            // The chassis manager never fails back; it only leaves a card that serves no slot (a spare it
            // landed on while the chassis was starting), since a spare must stay empty.
            var servesSlot = (serving ?? _context.Cards.ServingCards()).Any(c => c.Card.CardId == here);
            return servesSlot ? null : _context.Cards.ChassisHome() is { Card.Role: CardRoles.Line } home ? home : null;
        }

        var target = _context.Cards.CardForProcess(Definition, serving ?? _context.Cards.ServingCards());
        return target is { } t && t.Card.CardId != here ? t : null;
    }
}
