using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Xunit;
using Xunit.Abstractions;
using static Redundancy.Orleans.Tests.MultiProcess.ChassisChecks;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>Card failures with real processes and real signals (M4, M5, M9). Each test owns its chassis.</summary>
[Collection(EmbeddedChassisCollection.Name)]
[Trait("Category", TestCategories.MultiProcess)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CardKill_SlotMovesToSpareWithExactRoutes_ThenReprotectsAndReplacementJoinsAsSpare()
    {
        await using var chassis = await EmbeddedChassisProcess.StartAsync(slots: 3, spares: 1, "--Chassis:RoutesPerProcess=0");
        using var logs = new ChassisLogs(output, chassis);
        var api = chassis.Client;
        var before = await api.GetChassisAsync();
        await LoadAsync(api, before, 2000);
        before = await WaitProtectedAsync(api, 1, "every process protected before the fault");
        var expected = await RoutesAsync(api, before.Processes.Select(p => p.Name));

        await api.KillCardAsync("card-2");
        await WaitAllReadyAfterAsync(api, before, ["card-2"], "slot 2's processes ready on the spare after card-2 was killed");

        // The status is a composite view (membership, the slot map, each process): while the chassis manager itself
        // restores on another card, the slot map can lag the processes for a moment.
        var after = await api.WaitForAsync(s => s.Cards.Single(c => c.CardId == "spare-1").Slot == 2, FailoverTimeout, "the status to show slot 2 on spare-1");
        Assert.Equal(2, after.Cards.Single(c => c.CardId == "spare-1").Slot);
        Assert.False(after.Cards.Single(c => c.CardId == "card-2").Alive);
        Assert.All(after.Processes.Where(p => p.Slot == 2), p => Assert.Equal("spare-1", p.CardId));
        await AssertExactAsync(api, expected);

        var failover = (await api.GetEventsAsync()).Single(e => e.Kind == ChassisEventKind.CardFailover);
        Assert.Equal(("card-2", 2, "spare-1"), (failover.CardId, failover.Slot, failover.NewCardId));
        var done = await Eventually.WaitAsync(() => api.GetEventsAsync(), es => es.Any(e => e.Id == failover.Id && e.ReadyAt is not null), FailoverTimeout,
            "the failover event to complete", es => string.Join("; ", es.Select(e => e.Message)));
        var timed = done.Single(e => e.Id == failover.Id);
        Assert.True(timed is { DetectMs: > 0, PlaceMs: >= 0, RestoreMs: > 0, AuditMs: >= 0, TotalMs: > 0, ProcessesReady: 2 }, timed.Message);
        Assert.Contains("card card-2 failed: slot 2 -> card spare-1", chassis.Output);

        // Re-protection: replicas that lived on card-2 are rebuilt on live cards; the gap is measured.
        var reprotected = await WaitProtectedAsync(api, 1, "every process protected again after card-2 died");
        Assert.Contains(reprotected.Processes, p => p.LastUnprotectedMs > 0);

        // The replacement card joins as the new spare; slot 2 stays on spare-1 (no fail-back).
        var added = await api.AddCardAsync();
        var withSpare = await api.WaitForAsync(s => s.Cards.Any(c => c.CardId == added && c.Alive && c.Role == CardRoles.Spare), FailoverTimeout, $"{added} alive as a spare");
        Assert.Equal(2, withSpare.Cards.Single(c => c.CardId == "spare-1").Slot);
        Assert.All(withSpare.Processes, p => Assert.NotEqual(added, p.CardId));
        Assert.All(withSpare.Processes.SelectMany(p => p.Replicas), r => Assert.NotEqual(added, r.CardId));
    }

    [Fact]
    public async Task CardKill_NoSpareLeft_ProcessesSpreadOverActiveCardsAndNeverShareACardWithTheirReplica()
    {
        await using var chassis = await EmbeddedChassisProcess.StartAsync(slots: 3, spares: 0, "--Chassis:RoutesPerProcess=500");
        using var logs = new ChassisLogs(output, chassis);
        var api = chassis.Client;
        var before = await WaitProtectedAsync(api, 1, "every process protected before the fault");
        var expected = await RoutesAsync(api, before.Processes.Select(p => p.Name));

        await api.KillCardAsync("card-3");
        var after = await WaitAllReadyAfterAsync(api, before, ["card-3"], "slot 3's processes ready on the remaining cards (degraded)");
        Assert.All(after.Processes.Where(p => p.Slot == 3), p => Assert.Contains(p.CardId, new[] { "card-1", "card-2" }));
        await AssertExactAsync(api, expected);
        Assert.Null((await api.GetEventsAsync()).Single(e => e.Kind == ChassisEventKind.CardFailover).NewCardId);

        // With two cards left, k = 1 still fits: every replica moves off its primary's card.
        await WaitProtectedAsync(api, 1, "every process protected on the two remaining cards");
    }

    [Fact]
    public async Task TwoCardsKilledAtOnce_WithTwoReplicas_NothingAcknowledgedIsLost()
    {
        await using var chassis = await EmbeddedChassisProcess.StartAsync(slots: 4, spares: 2, "--Chassis:RoutesPerProcess=0", "--Redundancy:ReplicaCount=2");
        using var logs = new ChassisLogs(output, chassis);
        var api = chassis.Client;
        var before = await api.GetChassisAsync();
        await LoadAsync(api, before, 1000);
        before = await WaitProtectedAsync(api, 2, "every process with two replicas before the faults");
        var expected = await RoutesAsync(api, before.Processes.Select(p => p.Name));

        await Task.WhenAll(api.KillCardAsync("card-1"), api.KillCardAsync("card-2"));
        await WaitAllReadyAfterAsync(api, before, ["card-1", "card-2"], "slots 1 and 2 ready on the spares after two cards were killed");

        var after = await api.WaitForAsync(s => s.Cards.Count(c => c.Slot is 1 or 2 && c.CardId.StartsWith("spare-", StringComparison.Ordinal)) == 2,
            FailoverTimeout, "the status to show slots 1 and 2 on the spares");
        Assert.Equal(new[] { "spare-1", "spare-2" }, after.Cards.Where(c => c.Slot is 1 or 2).Select(c => c.CardId).Order());
        await AssertExactAsync(api, expected);
        await WaitProtectedAsync(api, 2, "two replicas for every process again");
    }

    [Fact]
    public async Task HungCard_SpareTakesOver_ResumedCardAcknowledgesNothingAndStops()
    {
        await using var chassis = await EmbeddedChassisProcess.StartAsync(slots: 3, spares: 1, "--Chassis:RoutesPerProcess=300");
        using var logs = new ChassisLogs(output, chassis);
        var api = chassis.Client;
        var before = await WaitProtectedAsync(api, 1, "every process protected before the hang");
        var hungPid = before.Cards.Single(c => c.CardId == "card-2").ProcessId!.Value;

        await api.HangCardAsync("card-2");
        var after = await WaitAllReadyAfterAsync(api, before, ["card-2"], "slot 2 served by the spare while card-2 hangs");

        // Writes acknowledged by the new primaries while the old card is stopped ...
        var acked = new List<(string Process, Routing.UpdateResult Ack)>();
        foreach (var p in after.Processes.Where(p => p.Slot == 2))
        {
            acked.Add((p.Name, await api.UpdateAsync(p.Name, Support.TestRoutes.Announce(Support.TestRoutes.V4($"10.99.{p.Name.Length}.0/24")))));
        }

        var expected = await RoutesAsync(api, after.Processes.Select(p => p.Name));
        await api.ResumeCardAsync("card-2");

        // ... the resumed card learns it was declared dead and stops; its old primaries serve nothing.
        await Eventually.WaitAsync(() => Task.FromResult(IsGone(hungPid)), gone => gone, FailoverTimeout, $"the resumed card-2 (pid {hungPid}) to stop");
        var final = await api.GetChassisAsync();
        Assert.All(final.Processes.Where(p => p.Slot == 2), p => Assert.Equal("spare-1", p.CardId));
        foreach (var (process, ack) in acked)
        {
            var status = final.Processes.Single(p => p.Name == process);
            Assert.Equal(ack.Epoch, status.Epoch);
            Assert.True(status.Seq >= ack.Seq);
        }

        await AssertExactAsync(api, expected);
    }

    private static bool IsGone(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
