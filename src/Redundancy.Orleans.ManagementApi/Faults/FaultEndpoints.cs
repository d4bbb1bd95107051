using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Redundancy.Orleans.Faults;
using Redundancy.Orleans.Management;
using Redundancy.Orleans.Processes;
using static Redundancy.Orleans.ManagementApi.ManagementResults;
using static Redundancy.Orleans.ManagementApi.Statuses;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>
/// Fault injection inside the chassis (nemesis tests, drills): a partition between two cards (grain calls blocked both
/// ways, membership untouched), a slow card, a crash of a card process armed at a named point of a process's next commit.
/// Answers 501 where the cards run without fault injection (<c>AddFaultInjection()</c>).
/// </summary>
internal static class FaultEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/cards/{id}/partition", (string id, string? from, CardLookup cards, IGrainFactory grains) =>
                Guard(() => PartitionAsync(id, from, blocked: true, cards, grains)))
            .Describe<FaultInjected>("Faults", "PartitionCards", "Fault injection: block grain calls between two cards (membership untouched)", BadRequest, NotFound, Conflict, NotImplemented);
        api.MapDelete("/cards/{id}/partition", (string id, string? from, CardLookup cards, IGrainFactory grains) =>
                Guard(() => PartitionAsync(id, from, blocked: false, cards, grains)))
            .Describe<FaultInjected>("Faults", "HealPartition", "Fault injection: let grain calls between two cards flow again", BadRequest, NotFound, Conflict, NotImplemented);
        api.MapPost("/cards/{id}/slow", (string id, string? ms, CardLookup cards, IGrainFactory grains) => Guard(async () =>
            {
                var card = cards.RequireAlive(id).CardId;
                if (!int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var delay) || delay > 10_000)
                {
                    throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"Query 'ms' must be a whole number of milliseconds 0..10000 (got '{ms}').");
                }

                await grains.GetGrain<ICardFaultInjection>(card).Slow(delay);
                return new FaultInjected { Card = card, Fault = $"every incoming grain call delayed by {delay} ms" };
            }))
            .Describe<FaultInjected>("Faults", "SlowCard", "Fault injection: delay every incoming grain call on a card (ms=0 ends it)", BadRequest, NotFound, Conflict, NotImplemented);
        api.MapPost("/processes/{name}/crash-point", (string name, string? at, ProcessDirectory processes, IGrainFactory grains) => Guard(async () =>
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

    private static async Task<FaultInjected> PartitionAsync(string id, string? from, bool blocked, CardLookup cards, IGrainFactory grains)
    {
        var a = cards.RequireAlive(id).CardId;
        var b = cards.RequireAlive(from ?? throw new RedundancyException(RedundancyErrorKind.InvalidInput, "Say which card to partition it from (?from=<card>).")).CardId;
        if (a == b)
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"A card cannot be partitioned from itself ('{a}').");
        }

        await Task.WhenAll(grains.GetGrain<ICardFaultInjection>(a).Partition(b, blocked), grains.GetGrain<ICardFaultInjection>(b).Partition(a, blocked));
        return new FaultInjected { Card = a, Fault = blocked ? $"grain calls between {a} and {b} blocked" : $"grain calls between {a} and {b} flow again" };
    }
}
