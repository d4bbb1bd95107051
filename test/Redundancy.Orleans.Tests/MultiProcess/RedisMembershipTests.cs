using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using static Redundancy.Orleans.Tests.MultiProcess.ChassisChecks;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>Membership in a real Redis: every card equal, none holds the table.</summary>
[Collection(EmbeddedChassisCollection.Name)]
public sealed class RedisMembershipTests
{
    [RedisFact]
    public async Task KillTheChassisManagersCard_ChassisManagerSurvivesWithItsStateAndTheSlotFailsOver()
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
    }
}
