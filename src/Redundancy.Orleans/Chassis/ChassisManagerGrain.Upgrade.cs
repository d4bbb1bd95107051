using System.Diagnostics;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Upgrade;

namespace Redundancy.Orleans.Chassis;

/// <summary>The chassis manager's part in upgrades (U1): planned switchover and the campaign record.</summary>
internal sealed partial class ChassisManagerGrain
{
    public async Task<ChassisEvent> Switchover(int slot, string targetCardId)
    {
        var started = Stopwatch.GetTimestamp();
        if (!State.SlotMap.Slots.TryGetValue(slot, out var current))
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput,
                $"Slot {slot} does not exist: the chassis has slots {string.Join(", ", State.SlotMap.Slots.Keys.Order())}.");
        }

        var cards = Context.Cards.GetCards().Select(c => c.Card).ToList();
        var target = cards.FirstOrDefault(c => c.CardId == targetCardId)
            ?? throw new RedundancyException(RedundancyErrorKind.UnknownProcess,
                $"Unknown card '{targetCardId}': the chassis has {string.Join(", ", cards.Select(c => c.CardId))}.");
        if (target.StartRole == CardRoles.Control)
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"'{targetCardId}' is the control silo; it hosts no processes.");
        }

        if (!target.Alive)
        {
            throw new RedundancyException(RedundancyErrorKind.NotServing, $"Card '{targetCardId}' is dead; switch over to a live spare.");
        }

        if (current == targetCardId)
        {
            // Idempotent: an orchestrator that resumes after a crash may ask again.
            return State.Events.LastOrDefault(e => e.Kind == ChassisEventKind.Switchover && e.Slot == slot && e.NewCardId == targetCardId)
                ?? new ChassisEvent { Kind = ChassisEventKind.Switchover, CardId = targetCardId, Slot = slot, NewCardId = targetCardId, Message = $"slot {slot} is already on card {targetCardId}" };
        }

        if (State.SlotMap.SlotOf(targetCardId) is { } serving)
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput,
                $"Card '{targetCardId}' serves slot {serving}; a slot switches over to a spare (a card serving no slot).");
        }

        var now = Context.Time.GetUtcNow();
        var slots = new Dictionary<int, string?>(State.SlotMap.Slots) { [slot] = targetCardId };
        var map = State.SlotMap.Next(Epoch, slots);
        await CommitAsync(new ChassisDelta { SlotMap = map });
        PushSlotMap(map);
        var e = FailoverCoordinator.Open(new SlotAssignment.Change(slot, current ?? "none", targetCardId, ChassisEventKind.Switchover), State.LastEventId + 1,
            now, Context.Time.GetUtcNow(), Stopwatch.GetElapsedTime(started).TotalMilliseconds, faultAt: null, Context.Table.ForSlot(slot).Count());
        Log.ChassisEvent(_logger, e.Message!);
        await CommitAsync(new ChassisDelta { Event = e });

        // Tell the slot's processes now rather than on their next tick: the pause per process is then the
        // hand-over itself (flush, migrate, restore, audit), not the wait for a timer.
        foreach (var process in Context.Table.ForSlot(slot))
        {
            processes.Get(process.Name).Handover(map).Ignore();
        }

        return e;
    }

    public Task<CampaignRecord?> GetCampaign()
    {
        return Task.FromResult(State.Campaign);
    }

    public async Task<CampaignRecord> SaveCampaign(CampaignRecord record, string? note)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (ballot, current) = (State.Campaign?.Ballot ?? 0, State.Campaign?.Revision ?? 0);
        if (record.Revision != current || record.Ballot != ballot)
        {
            throw new RedundancyException(RedundancyErrorKind.Conflict,
                $"The upgrade campaign record changed since it was read (ballot {record.Ballot} revision {record.Revision}, now ballot {ballot} revision {current}{(State.Campaign?.Owner is { } o ? ", owner " + o : "")}): reload it.");
        }

        var saved = record with { Revision = current + 1, Ballot = Epoch, SavedAt = Context.Time.GetUtcNow() };
        await CommitAsync(new ChassisDelta { Campaign = saved });

        // The control plane rebuilds itself from cards and storage when every copy was lost (I7): keep the last saved
        // campaign where a rebuild finds it. Off the replication hot path: campaign saves are rare.
        await GrainFactory.GetGrain<IChassisArchive>(IChassisManager.Key).SaveCampaign(saved);
        if (!string.IsNullOrWhiteSpace(note))
        {
            var e = new ChassisEvent { Id = State.LastEventId + 1, Kind = ChassisEventKind.Upgrade, CardId = "-", DetectedAt = saved.SavedAt, Message = "upgrade: " + note };
            Log.ChassisEvent(_logger, e.Message);
            await CommitAsync(new ChassisDelta { Event = e });
        }

        return saved;
    }
}
