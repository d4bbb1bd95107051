using System.Globalization;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Faults;
using Redundancy.Orleans.Management;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Silo.Api;

/// <summary>
/// Fault injection inside the chassis (nemesis tests, drills): a partition between two cards (grain calls blocked both
/// ways, membership untouched), a slow card, a crash of a card process armed at a named point of a process's next commit.
/// Answers 501 where fault injection is off (a cluster card, unless <c>Chassis:FaultInjection=true</c>).
/// </summary>
internal static class FaultApi
{
    private const int BadRequest = StatusCodes.Status400BadRequest;
    private const int NotFound = StatusCodes.Status404NotFound;
    private const int Conflict = StatusCodes.Status409Conflict;
    private const int NotImplemented = StatusCodes.Status501NotImplemented;

    public static void Map(WebApplication app)
    {
        app.MapPost("/api/cards/{id}/partition", (string id, string? from, CardDirectory cards, IGrainFactory grains) =>
                ManagementApi.Guard(() => PartitionAsync(id, from, blocked: true, cards, grains)))
            .Describe<FaultInjected>("Faults", "PartitionCards", "Fault injection: block grain calls between two cards (membership untouched)", BadRequest, NotFound, Conflict, NotImplemented);
        app.MapDelete("/api/cards/{id}/partition", (string id, string? from, CardDirectory cards, IGrainFactory grains) =>
                ManagementApi.Guard(() => PartitionAsync(id, from, blocked: false, cards, grains)))
            .Describe<FaultInjected>("Faults", "HealPartition", "Fault injection: let grain calls between two cards flow again", BadRequest, NotFound, Conflict, NotImplemented);
        app.MapPost("/api/cards/{id}/slow", (string id, string? ms, CardDirectory cards, IGrainFactory grains) =>
            ManagementApi.Guard(async () =>
            {
                var card = LiveCard(cards, id);
                if (!int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var delay) || delay > 10_000)
                {
                    throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"Query 'ms' must be a whole number of milliseconds 0..10000 (got '{ms}').");
                }

                await grains.GetGrain<ICardFaultInjection>(card).Slow(delay);
                return new FaultInjected { Card = card, Fault = $"every incoming grain call delayed by {delay} ms" };
            }))
            .Describe<FaultInjected>("Faults", "SlowCard", "Fault injection: delay every incoming grain call on a card (ms=0 ends it)", BadRequest, NotFound, Conflict, NotImplemented);
        app.MapPost("/api/processes/{name}/crash-point", (string name, string? at, ProcessDirectory processes, IGrainFactory grains) =>
            ManagementApi.Guard(async () =>
            {
                if (at is null || !CrashPoints.All.Contains(at))
                {
                    throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"Query 'at' must be one of {string.Join(", ", CrashPoints.All)} (got '{at}').");
                }

                var status = await processes.Get(name).GetStatus();
                var card = status.CardId ?? throw new RedundancyException(RedundancyErrorKind.Unavailable, $"Process '{name}' runs on no card now.");
                await grains.GetGrain<ICardFaultInjection>(card).ArmCrashPoint(name, at);
                return new FaultInjected { Card = card, Fault = $"card {card} crashes (SIGKILL) at {at} of {name}'s next commit" };
            }, $"Process '{name}'"))
            .Describe<FaultInjected>("Faults", "ArmCrashPoint", "Fault injection: the process's card kills itself at a named point of the process's next commit", BadRequest, NotFound, Conflict, NotImplemented);
    }

    private static async Task<FaultInjected> PartitionAsync(string id, string? from, bool blocked, CardDirectory cards, IGrainFactory grains)
    {
        var a = LiveCard(cards, id);
        var b = LiveCard(cards, from ?? throw new RedundancyException(RedundancyErrorKind.InvalidInput, "Say which card to partition it from (?from=<card>)."));
        if (a == b)
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"A card cannot be partitioned from itself ('{a}').");
        }

        await Task.WhenAll(grains.GetGrain<ICardFaultInjection>(a).Partition(b, blocked), grains.GetGrain<ICardFaultInjection>(b).Partition(a, blocked));
        return new FaultInjected { Card = a, Fault = blocked ? $"grain calls between {a} and {b} blocked" : $"grain calls between {a} and {b} flow again" };
    }

    private static string LiveCard(CardDirectory cards, string id)
    {
        var all = cards.GetCards();
        var card = all.FirstOrDefault(c => c.Card.CardId == id).Card
            ?? throw new RedundancyException(RedundancyErrorKind.UnknownProcess, $"Unknown card '{id}': the chassis has {string.Join(", ", all.Select(c => c.Card.CardId))}.");
        if (card.StartRole == CardRoles.Control)
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"'{id}' is the control silo; faults are injected into cards.");
        }

        return card.Alive ? card.CardId : throw new RedundancyException(RedundancyErrorKind.NotServing, $"Card '{id}' is dead.");
    }
}
