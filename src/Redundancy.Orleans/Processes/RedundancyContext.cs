using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Redundancy.Orleans.CardManagement;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Hosting;

namespace Redundancy.Orleans.Processes;

/// <summary>
/// What a <see cref="RedundantProcessGrain{TState, TDelta}"/> needs from its card, in one injectable
/// service so that application grains take one constructor argument for the runtime.
/// </summary>
public sealed class RedundancyContext
{
    internal RedundancyContext(
        IOptions<RedundancyOptions> options,
        ProcessTable table,
        CardDirectory cards,
        ILocalSiloDetails silo,
        TimeProvider time,
        ILoggerFactory loggers,
        CardManager cardManager,
        RestartTracker restarts,
        SlotMapCache slotMap,
        global::Orleans.Serialization.Serializer serializer)
    {
        Serializer = serializer;
        Options = options.Value;
        Table = table;
        Cards = cards;
        Silo = silo;
        Time = time;
        Loggers = loggers;
        CardManager = cardManager;
        Restarts = restarts;
        SlotMap = slotMap;
    }

    /// <summary>Runtime options.</summary>
    public RedundancyOptions Options { get; }

    /// <summary>The process table.</summary>
    public ProcessTable Table { get; }

    /// <summary>Cards and the slot map.</summary>
    public CardDirectory Cards { get; }

    /// <summary>This silo.</summary>
    public ILocalSiloDetails Silo { get; }

    /// <summary>Clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Logger factory.</summary>
    public ILoggerFactory Loggers { get; }

    /// <summary>This card's id.</summary>
    public string? CardId => Cards.CardIdOf(Silo.SiloAddress);

    internal CardManager CardManager { get; }

    internal RestartTracker Restarts { get; }

    internal SlotMapCache SlotMap { get; }

    internal global::Orleans.Serialization.Serializer Serializer { get; }
}
