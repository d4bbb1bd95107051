using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Cluster;

/// <summary>
/// Restores from replicas that lost or kept their state. The chassis manager restored from a replica that
/// lost its state (re-created empty after its card died): its audit takes the cards' newer slot map instead
/// of starting the slot map over, whose lower version every card would ignore — the chassis would then never
/// fail a slot over again. A replica that moves keeps its copy: it may be the only one.
/// </summary>
public sealed class ChassisManagerRestoreTests(ChassisManagerFixture chassis) : IClassFixture<ChassisManagerFixture>
{
    [Fact]
    public async Task ReplicaLostThenCrash_RestoredMapIsOlder_AuditAdoptsTheCardsCopyAndVersionsMoveOn()
    {
        var manager = chassis.Client.GetGrain<IChassisManager>(IChassisManager.Key);
        var process = chassis.Client.GetGrain<IRedundantProcess>(IChassisManager.Key, typeof(ChassisManagerGrain).FullName);
        var replica = chassis.Client.GetGrain<IHotStateReplica<ChassisState, ChassisDelta>>(ReplicaKeys.Format(IChassisManager.Key, 0));
        var before = await Eventually.WaitAsync(async () => (Map: await manager.GetSlotMap(), Status: await process.GetStatus()),
            x => x.Map.Slots.Count == 3 && x.Map.Slots.Values.All(c => c is not null) && x.Status is { State: ProcessState.Ready, Protected: true },
            TimeSpan.FromSeconds(30), "the chassis manager ready and protected with slots 1..3 assigned",
            x => $"slot map v{x.Map.Version} [{string.Join(", ", x.Map.Slots.Select(kv => $"{kv.Key}:{kv.Value}"))}], {x.Status.State}, protected {x.Status.Protected}");

        // Its replica holds nothing (as one re-created empty after its card died, before the chassis manager's
        // next change refills it), and the chassis manager crashes and restores from it.
        await replica.Install(new HotStateSnapshot<ChassisState>(before.Status.Epoch, 0, new ChassisState()));
        await process.Crash();
        // (Its epoch may not rise: the empty replica knows no epoch. It may restore on another card, whose restart
        // count is its own. Its restore time is a new measurement.)
        var after = await Eventually.WaitAsync(() => process.GetStatus(), s => s.State == ProcessState.Ready && s.LastRestoreMs != before.Status.LastRestoreMs,
            TimeSpan.FromSeconds(30), "the chassis manager restored after the crash", s => $"{s.State} on {s.CardId}, epoch {s.Epoch}, restore {s.LastRestoreMs} ms, reason {s.Reason}");

        var audit = Assert.IsType<AuditReport>(after.LastAudit);
        var adopted = Assert.Single(audit.Findings, f => f.Target.StartsWith("slot map@", StringComparison.Ordinal));
        Assert.Contains($"is older than the cards' copy v{before.Map.Version}: adopted the cards' copy", adopted.Action);
        var map = await manager.GetSlotMap();
        Assert.True(map.Version >= before.Map.Version, $"slot map version went back from {before.Map.Version} to {map.Version}");
        Assert.Equal(before.Map.Slots.OrderBy(kv => kv.Key), map.Slots.OrderBy(kv => kv.Key));

        // A change after the restore gets a version the cards take.
        var reconciled = await manager.Reconcile(0);
        Assert.True(reconciled.Version >= before.Map.Version);
    }

    [Fact]
    public async Task ReplicaMovedThenPrimaryCrashes_RestoresEveryRouteFromTheMovedCopy()
    {
        var cm = chassis.Process("cm-1");
        var before = await chassis.WaitReadyAsync("cm-1");
        var ack = await cm.Update(Support.TestRoutes.Announce([.. Enumerable.Range(0, 200).Select(i => Support.TestRoutes.V4($"10.77.{i}.0/24"))]));
        var expected = Support.TestRoutes.Lines((await cm.GetRoutes()).Routes.Select(r => r.Route));
        var replica = chassis.Client.GetGrain<IHotStateReplica<Routing.State.RoutingState, Routing.State.RoutingDelta>>(ReplicaKeys.Format("cm-1", 0));
        var copy = await replica.GetSnapshot();
        Assert.Equal(ack.Seq, copy.Seq);
        var target = new[] { "card-1", "card-2", "card-3" }.First(c => c != before.CardId && c != copy.CardId);

        // The replica moves to another card (as off a card that became a spare); before the primary's next change
        // refills it, the primary crashes and restores from it.
        await replica.Relocate(target);
        var moved = await Eventually.WaitAsync(() => replica.GetSnapshot(), x => x.CardId == target, TimeSpan.FromSeconds(30),
            $"replica 0 of cm-1 moved from {copy.CardId} to {target}", x => $"on {x.CardId}, seq {x.Seq}, epoch {x.Epoch}");
        Assert.Equal((copy.Epoch, ack.Seq), (moved.Epoch, moved.Seq));
        await cm.Crash();
        await chassis.WaitReadyAsync("cm-1", before.Epoch, "restored from the moved replica");

        var restored = await cm.GetRoutes();
        Assert.Equal(ack.Seq, restored.Seq);
        Assert.Equal(expected, Support.TestRoutes.Lines(restored.Routes.Select(r => r.Route)));
    }
}
