using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using static Redundancy.Orleans.Tests.MultiProcess.ChassisChecks;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>Membership in a real Redis: every card equal, none holds the table; the event and audit history in Redis too.</summary>
[Collection(EmbeddedChassisCollection.Name)]
public sealed class RedisMembershipTests
{
    [RedisFact]
    public async Task KillTheChassisManagersCard_ChassisManagerSurvivesWithItsState_TheSlotFailsOver_AndTheHistoryPages()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var chassis = await EmbeddedChassisProcess.StartAsync(slots: 3, spares: 1,
            "--Chassis:RoutesPerProcess=1000", "--Chassis:Membership=redis", $"--Chassis:RedisConnectionString={redis.ConnectionString}");
        var api = chassis.Client;
        await WaitProtectedAsync(api, 1, "every process protected before the fault");
        var before = await api.WaitForAsync(s => s.ChassisManager is { State: Processes.ProcessState.Ready, Protected: true } m && m.CardId!.StartsWith("card-", StringComparison.Ordinal),
            FailoverTimeout, "the chassis manager ready and protected on a line card");
        var manager = before.ChassisManager!;
        var eventsBefore = await api.GetEventsAsync();
        Assert.NotEmpty(eventsBefore);
        var expected = await RoutesAsync(api, before.Processes.Select(p => p.Name));
        var auditsBefore = await Eventually.WaitAsync(() => api.GetAuditsAsync(IChassisManager.Key), a => a.Any(x => x.CardId == manager.CardId), FailoverTimeout,
            $"the audit of the chassis manager's restore on {manager.CardId} in its audit history", Audits);

        await api.KillCardAsync(manager.CardId!);
        await WaitAllReadyAfterAsync(api, before, [manager.CardId!], $"the slot of {manager.CardId} (the chassis manager's card) ready on the spare");
        var after = await api.WaitForAsync(s => s.ChassisManager is { State: Processes.ProcessState.Ready } m && m.CardId != manager.CardId,
            FailoverTimeout, $"the chassis manager ready again on a card other than {manager.CardId}");

        // The chassis manager came back on another card from its replica: same history, newer epoch.
        var movedManager = after.ChassisManager!;
        Assert.NotEqual(manager.CardId, movedManager.CardId);
        Assert.True(movedManager.Epoch > manager.Epoch, $"epoch {movedManager.Epoch} after {manager.Epoch}");
        var events = await api.GetEventsAsync();
        Assert.All(eventsBefore, e => Assert.Contains(events, x => x.Id == e.Id && x.CardId == e.CardId));
        Assert.Contains(events, e => e.Kind == ChassisEventKind.CardFailover && e.CardId == manager.CardId && e.NewCardId == "spare-1");
        Assert.True(after.SlotMapVersion > before.SlotMapVersion);
        await AssertExactAsync(api, expected);

        // The history (control-plane storage in Redis) kept every event, unchanged, and pages with after and limit.
        Assert.All(eventsBefore, e => Assert.Contains(events, x => x.Id == e.Id && x.Kind == e.Kind && x.CardId == e.CardId && x.DetectedAt == e.DetectedAt));
        var paged = new List<ChassisEvent>();
        for (long afterId = 0; ; afterId = paged[^1].Id)
        {
            var page = await api.GetEventsAsync(afterId, 2);
            Assert.True(page.Count <= 2, $"a page of {page.Count} events for limit 2");
            if (page.Count == 0)
            {
                break;
            }

            paged.AddRange(page);
        }

        Assert.Equal(events.Select(e => e.Id), paged.Select(e => e.Id).Take(events.Count));
        Assert.Equal(paged.Select(e => e.Id).Order(), paged.Select(e => e.Id));

        // The audit history: the chassis manager's audit on the dead card is still there, followed by its restore elsewhere.
        var audits = await Eventually.WaitAsync(() => api.GetAuditsAsync(IChassisManager.Key), a => a.Any(x => x.CardId == movedManager.CardId), FailoverTimeout,
            $"the chassis manager's restore on {movedManager.CardId} in its audit history", Audits);
        Assert.All(auditsBefore, a => Assert.Contains(audits, x => x.Id == a.Id && x.CardId == a.CardId && x.At == a.At));
        Assert.Equal(audits.Select(a => a.Id).Order(), audits.Select(a => a.Id));
        Assert.Single(await api.GetAuditsAsync(IChassisManager.Key, after: audits[0].Id - 1, limit: 1));
    }

    private static string Audits(IReadOnlyList<Audit.AuditRecord> audits) =>
        string.Join("; ", audits.Select(a => $"#{a.Id} {a.CardId} {a.At:HH:mm:ss.fff} checked {a.Report.Checked}"));
}
