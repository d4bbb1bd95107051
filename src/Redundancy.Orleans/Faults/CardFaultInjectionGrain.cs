using Redundancy.Orleans.Placement;

namespace Redundancy.Orleans.Faults;

/// <summary>Fault injection on the card named by the key (runs there).</summary>
[CardPinnedPlacement]
internal sealed class CardFaultInjectionGrain(CardFaults faults) : Grain, ICardFaultInjection
{
    public Task Partition(string card, bool blocked)
    {
        faults.Partition(card, blocked);
        return Task.CompletedTask;
    }

    public Task Slow(int delayMs)
    {
        faults.Slow(TimeSpan.FromMilliseconds(delayMs));
        return Task.CompletedTask;
    }

    public Task ArmCrashPoint(string process, string point)
    {
        faults.ArmCrashPoint(process, point);
        return Task.CompletedTask;
    }

    public Task<CardFaultState> GetState() => Task.FromResult(faults.State());
}
