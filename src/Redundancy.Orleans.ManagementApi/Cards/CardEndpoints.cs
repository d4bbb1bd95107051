using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Management;
using Redundancy.Orleans.Processes;
using static Redundancy.Orleans.ManagementApi.ManagementResults;
using static Redundancy.Orleans.ManagementApi.Statuses;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>
/// Card faults and provisioning: kill, hang, resume, stop, start and a new spare through the host's
/// <see cref="ICardController"/> (501 without one); declare-dead (membership TryKill) in any host.
/// </summary>
internal static class CardEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/cards/{id}/kill", (string id, CardLookup cards) => Guard(async () =>
            {
                var controller = cards.Controller();
                var card = cards.Controllable(controller, id, mustBeAlive: true);
                await cards.RecordFaultAsync(id);
                return controller.Kill(card);
            }))
            .Describe<CardSignalled>("Faults", "KillCard", "Embedded chassis: SIGKILL the card's process", BadRequest, NotFound, Conflict, NotImplemented);
        api.MapPost("/cards/{id}/hang", (string id, CardLookup cards) => Guard(async () =>
            {
                var controller = cards.Controller();
                var card = cards.Controllable(controller, id, mustBeAlive: true);
                await cards.RecordFaultAsync(id);
                return controller.Hang(card);
            }))
            .Describe<CardSignalled>("Faults", "HangCard", "Embedded chassis: SIGSTOP the card's process", BadRequest, NotFound, Conflict, NotImplemented);
        api.MapPost("/cards/{id}/resume", (string id, CardLookup cards) => Guard(() =>
            {
                var controller = cards.Controller();
                return Task.FromResult(controller.Resume(cards.Controllable(controller, id, mustBeAlive: false)));
            }))
            .Describe<CardSignalled>("Faults", "ResumeCard", "Embedded chassis: SIGCONT a hung card's process", BadRequest, NotFound, NotImplemented);
        api.MapPost("/cards/{id}/declare-dead", (string id, CardLookup cards, IClusterMembershipService membership) => Guard(async () =>
            {
                var (_, silo) = cards.Find(id, mustBeAlive: true);
                await cards.RecordFaultAsync(id);
                return new CardDeclaredDead { Card = id, DeclaredDead = await membership.TryKill(silo) };
            }))
            .Describe<CardDeclaredDead>("Faults", "DeclareCardDead", "Declare a card dead at once (membership TryKill), when something else already knows it is gone", BadRequest, NotFound, Conflict);
        api.MapPost("/cards", (CardLookup cards) => Guard(() => Task.FromResult(cards.Controller().AddSpare())))
            .Describe<CardStarted>("Cards", "AddCard", "Embedded chassis: start a replacement card; it joins as a spare", NotImplemented);
        api.MapPost("/cards/{id}/stop", (string id, CardLookup cards) => Guard(() =>
            {
                var controller = cards.Controller();
                var card = cards.RequireAlive(id);
                return card.Role == CardRoles.Line
                    ? throw new RedundancyException(RedundancyErrorKind.Conflict,
                        $"Card '{id}' serves slot {card.Slot}: switch the slot over to a spare first (POST /api/slots/{card.Slot}/switchover?to=<spare>).")
                    : controller.StopAsync(card);
            }))
            .Describe<CardStopped>("Cards", "StopCard", "Embedded chassis: stop a card that serves no slot, gracefully", BadRequest, NotFound, Conflict, NotImplemented);
        api.MapPost("/cards/{id}/start", (string id, string? version, CardLookup cards) => Guard(() =>
            {
                var controller = cards.Controller();
                if (string.IsNullOrWhiteSpace(version))
                {
                    throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"Say which software version to start card '{id}' at (?version=; known: {string.Join(", ", controller.Versions)}).");
                }

                return cards.All().Any(c => c.CardId == id && c.Alive)
                    ? throw new RedundancyException(RedundancyErrorKind.Conflict, $"Card '{id}' is alive; stop it first.")
                    : Task.FromResult(controller.Start(id, version));
            }))
            .Describe<CardStarted>("Cards", "StartCard", "Embedded chassis: start a stopped card as a spare at a software version", BadRequest, NotFound, Conflict, NotImplemented);
    }
}
