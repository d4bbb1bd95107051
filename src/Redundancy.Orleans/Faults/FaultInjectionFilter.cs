using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Faults;

/// <summary>
/// Carries the calling card's id with every grain call, and on the receiving card refuses calls from a card it is
/// partitioned from and delays calls on a slow card. Membership probes are not grain calls: a partition here blocks the
/// protocol's traffic (replication, restore, the ledger) while membership still sees both cards alive.
/// </summary>
internal sealed class FaultInjectionFilter(CardFaults faults, CardDirectory cards, ILocalSiloDetails silo) : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
{
    private const string FromCardKey = "redundancy.from-card";

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (cards.CardIdOf(silo.SiloAddress) is { } own)
        {
            RequestContext.Set(FromCardKey, own);
        }

        return context.Invoke();
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (RequestContext.Get(FromCardKey) is string from && faults.IsPartitionedFrom(from))
        {
            throw new TimeoutException($"Grain call from card '{from}' to card '{cards.CardIdOf(silo.SiloAddress)}' blocked: the two are partitioned (fault injection).");
        }

        if (faults.Delay > TimeSpan.Zero)
        {
            await Task.Delay(faults.Delay);
        }

        await context.Invoke();
    }
}
