using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.ControlPlane;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.History;

/// <summary>
/// The chassis's event history in control-plane storage: events by the chassis manager's ids, kept in pages of
/// <see cref="EventHistoryGrain.PageSize"/> (one grain each, so that recording an event writes one page and the head,
/// never the whole history), the newest <see cref="RedundancyOptions.EventRetention"/> of them retained.
/// </summary>
internal interface IEventHistoryGrain : IGrainWithStringKey
{
    /// <summary>The only key.</summary>
    public const string Key = "events";

    /// <summary>Adds new events and updates recorded ones (a failover's timings complete later).</summary>
    Task Record(IReadOnlyList<ChassisEvent> events);

    /// <summary>Up to <paramref name="limit"/> events with an id above <paramref name="after"/>, oldest first.</summary>
    Task<IReadOnlyList<ChassisEvent>> Read(long after, int limit);
}

/// <summary>One page of the event history; key = page number.</summary>
internal interface IEventPageGrain : IGrainWithIntegerKey
{
    Task<IReadOnlyList<ChassisEvent>> Read();

    Task Write(IReadOnlyList<ChassisEvent> events);

    Task Clear();
}

[GenerateSerializer]
internal sealed class EventHistoryHead
{
    /// <summary>Highest event id recorded.</summary>
    [Id(0)] public long LastId { get; set; }

    /// <summary>Oldest event id retained (older ones are dropped with their pages).</summary>
    [Id(1)] public long FirstId { get; set; } = 1;
}

[GenerateSerializer]
internal sealed class EventPage
{
    [Id(0)] public List<ChassisEvent> Events { get; set; } = [];
}

internal sealed class EventHistoryGrain(
    [PersistentState("head", ControlPlaneStorage.Name)] IPersistentState<EventHistoryHead> head,
    IOptions<RedundancyOptions> options,
    ILogger<EventHistoryGrain> logger) : Grain, IEventHistoryGrain
{
    public const int PageSize = 256;

    public static long PageOf(long id) => (id - 1) / PageSize;

    public async Task Record(IReadOnlyList<ChassisEvent> events)
    {
        var changed = false;
        foreach (var page in events.Where(e => e.Id >= head.State.FirstId).GroupBy(e => PageOf(e.Id)))
        {
            var grain = GrainFactory.GetGrain<IEventPageGrain>(page.Key);
            var stored = (await grain.Read()).ToDictionary(e => e.Id);
            var pageChanged = false;
            foreach (var e in page)
            {
                if (stored.TryGetValue(e.Id, out var recorded) && !SameEvent(recorded, e))
                {
                    HistoryLog.EventIdReused(logger, e.Id, e.Kind.ToString(), e.CardId, e.DetectedAt, recorded.Kind.ToString(), recorded.CardId, recorded.DetectedAt);
                    continue;
                }

                if (recorded is null || !Same(recorded, e))
                {
                    stored[e.Id] = e;
                    pageChanged = true;
                    head.State.LastId = Math.Max(head.State.LastId, e.Id);
                }
            }

            if (pageChanged)
            {
                await grain.Write([.. stored.Values.OrderBy(e => e.Id)]);
                changed = true;
            }
        }

        if (changed)
        {
            await ApplyRetentionAsync();
            await head.WriteStateAsync();
        }
    }

    public async Task<IReadOnlyList<ChassisEvent>> Read(long after, int limit)
    {
        var result = new List<ChassisEvent>();
        var from = Math.Max(after + 1, head.State.FirstId);
        for (var page = PageOf(from); result.Count < limit && page <= PageOf(head.State.LastId); page++)
        {
            var events = await GrainFactory.GetGrain<IEventPageGrain>(page).Read();
            result.AddRange(events.Where(e => e.Id >= from).Take(limit - result.Count));
        }

        return result;
    }

    /// <summary>Keeps the newest events within retention; whole pages older than that are dropped.</summary>
    private async Task ApplyRetentionAsync()
    {
        var retention = options.Value.EventRetention;
        if (head.State.LastId - head.State.FirstId + 1 <= retention)
        {
            return;
        }

        var first = head.State.LastId - retention + 1;
        for (var page = PageOf(head.State.FirstId); page < PageOf(first); page++)
        {
            await GrainFactory.GetGrain<IEventPageGrain>(page).Clear();
        }

        head.State.FirstId = first;
    }

    /// <summary>The same event (its timings may have moved on): same kind, card and detection time.</summary>
    private static bool SameEvent(ChassisEvent a, ChassisEvent b) => a.Kind == b.Kind && a.CardId == b.CardId && a.DetectedAt == b.DetectedAt;

    private static bool Same(ChassisEvent a, ChassisEvent b) =>
        a with { ReadyProcesses = Array.Empty<string>() } == b with { ReadyProcesses = Array.Empty<string>() } && a.ReadyProcesses.SequenceEqual(b.ReadyProcesses);
}

internal sealed class EventPageGrain([PersistentState("page", ControlPlaneStorage.Name)] IPersistentState<EventPage> page) : Grain, IEventPageGrain
{
    public Task<IReadOnlyList<ChassisEvent>> Read() => Task.FromResult<IReadOnlyList<ChassisEvent>>(page.State.Events);

    public async Task Write(IReadOnlyList<ChassisEvent> events)
    {
        page.State.Events = [.. events.Select(StorageForm.Of)];
        await page.WriteStateAsync();
    }

    public async Task Clear()
    {
        await page.ClearStateAsync();
        DeactivateOnIdle();
    }
}
