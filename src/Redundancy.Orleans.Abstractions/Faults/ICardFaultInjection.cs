namespace Redundancy.Orleans.Faults;

/// <summary>
/// Fault injection on one card (key = card id; the grain runs on that card), for chaos and nemesis tests: grain calls
/// blocked between two cards (a partition), every incoming call delayed (a slow card), a crash of the whole card process
/// armed at a named point inside a process's next commit. Off unless the card enabled fault injection.
/// </summary>
public interface ICardFaultInjection : IGrainWithStringKey
{
    /// <summary>Blocks (or heals) grain calls between this card and <paramref name="card"/>, in both directions as seen from here.</summary>
    Task Partition(string card, bool blocked);

    /// <summary>Delays every incoming grain call on this card by <paramref name="delayMs"/> ms (0: no delay).</summary>
    Task Slow(int delayMs);

    /// <summary>Arms a crash of this card's process (SIGKILL of itself) at <paramref name="point"/> of <paramref name="process"/>'s next commit.</summary>
    Task ArmCrashPoint(string process, string point);

    /// <summary>What is injected now.</summary>
    Task<CardFaultState> GetState();
}

/// <summary>The faults injected on a card.</summary>
[GenerateSerializer, Immutable]
public sealed record CardFaultState
{
    /// <summary>Cards whose grain calls to and from this card are blocked.</summary>
    [Id(0)] public IReadOnlyList<string> PartitionedFrom { get; init; } = [];

    /// <summary>Delay added to every incoming grain call, in milliseconds.</summary>
    [Id(1)] public int DelayMs { get; init; }

    /// <summary>Process → armed crash point.</summary>
    [Id(2)] public IReadOnlyDictionary<string, string> CrashPoints { get; init; } = new Dictionary<string, string>();
}
