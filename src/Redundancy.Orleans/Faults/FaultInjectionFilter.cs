using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Faults;

/// <summary>
/// Carries the calling card's id with every grain call, and on the receiving card refuses calls from a card it is
/// partitioned from and delays calls on a slow card. Membership probes are not grain calls: a partition here blocks the
/// protocol's traffic (replication, restore, the ledger) while membership still sees both cards alive. Calls to Orleans'
/// own system targets (the grain directory's partitions) pass untouched, as membership does: a partition or a slow card
/// must not make the runtime refuse to activate a grain whose directory entry happens to live across it, nor block the
/// fault injection's own grains (a directory owner on the far side failed <c>fault partition</c> itself).
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
        if (context.TargetId.IsSystemTarget())
        {
            await context.Invoke();
            return;
        }

        if (RequestContext.Get(FromCardKey) is string from && faults.IsPartitionedFrom(from))
        {
            throw new TimeoutException($"Grain call from card '{from}' to card '{cards.CardIdOf(silo.SiloAddress)}' blocked: the two are partitioned (fault injection: {context.InterfaceName}.{context.MethodName} on {context.TargetId}).");
        }

        if (faults.Delay > TimeSpan.Zero)
        {
            await Task.Delay(faults.Delay);
        }

        await context.Invoke();
    }
}
