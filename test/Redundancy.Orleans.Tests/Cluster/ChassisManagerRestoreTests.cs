using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Replication.Ledger;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Cluster;

/// <summary>
/// The control plane rebuilds itself rather than refuse forever (I7): when every in-sync copy of the chassis manager is
/// lost, it takes the slot map the cards act on and versions move on. A replica that moves keeps its copy: it may be
/// the only one.
/// </summary>
[Trait("Category", TestCategories.Cluster)]
public sealed class ChassisManagerRestoreTests(ChassisManagerFixture chassis) : IClassFixture<ChassisManagerFixture>
{
    [Fact]
    public async Task EveryCopyLost_ControlPlaneRebuildsFromTheCards_SlotMapKeptAndVersionsMoveOn()
    {
        var manager = chassis.Client.GetGrain<IChassisManager>(IChassisManager.Key);
        var process = manager.AsReference<IRedundantProcess>();
        var before = await Eventually.WaitAsync(async () => (Map: await manager.GetSlotMap(), Status: await process.GetStatus()),
            x => x.Map.Slots.Count == 3 && x.Map.Slots.Values.All(c => c is not null) && x.Status is { State: ProcessState.Ready, Protected: true },
            TimeSpan.FromSeconds(30), "the chassis manager ready and protected with slots 1..3 assigned",
            x => $"slot map v{x.Map.Version} [{string.Join(", ", x.Map.Slots.Select(kv => $"{kv.Key}:{kv.Value}"))}], {x.Status.State}, protected {x.Status.Protected}");

        // Every in-sync copy is lost: the ledger names a copy no replica holds, on a card that is gone (as after the cards
        // holding the copies died). The chassis manager then crashes: it cannot restore from its in-sync set.
        var ledger = chassis.Client.GetGrain<IProcessLedger>(IChassisManager.Key);
        var record = await ledger.Read();
        var changed = await ledger.ChangeInSync(record.Ballot, record.InSync.Version, [new InSyncMember(0, "lost-copy", "card-9")], record.InSync.Seq);
        Assert.Equal(LedgerOutcome.Accepted, changed.Outcome);
        // The current activation stops at its next change of the set (the ledger moved under it) or now, by a crash.
        await process.Crash();
        var rebuilt = await Eventually.WaitAsync(() => manager.GetEvents(0), e => e.Any(x => x.Kind == ChassisEventKind.ControlPlaneRebuilt),
            TimeSpan.FromSeconds(30), "the control plane rebuilt from the cards", e => $"{e.Count} events: {string.Join("; ", e.TakeLast(3).Select(x => x.Message))}");
        var message = rebuilt.Last(x => x.Kind == ChassisEventKind.ControlPlaneRebuilt).Message;
        Assert.Contains("control plane rebuilt", message);
        // The map taken from a card: the one before the crash, or a newer one if membership moved it since (never older).
        var taken = System.Text.RegularExpressions.Regex.Match(message ?? "", @"slot map v(\d+) from card-");
        Assert.True(taken.Success && long.Parse(taken.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= before.Map.Version,
            $"the rebuild should take slot map v{before.Map.Version} or newer from a card; it says: {message}");
        await Eventually.WaitAsync(() => process.GetStatus(), s => s is { State: ProcessState.Ready, Protected: true } && s.Epoch > before.Status.Epoch,
            TimeSpan.FromSeconds(30), "the chassis manager protected again after the rebuild", s => $"{s.State} on {s.CardId}, epoch {s.Epoch}, protected {s.Protected}, reason {s.Reason}");
        var map = await manager.GetSlotMap();
        Assert.True(map.Version >= before.Map.Version, $"slot map version went back from {before.Map.Version} to {map.Version}");
        Assert.Equal(before.Map.Slots.OrderBy(kv => kv.Key), map.Slots.OrderBy(kv => kv.Key));

        // A change after the rebuild gets a version every card takes: the new manager's ballot orders it after the old maps.
        var reconciled = await manager.Reconcile(0);
        Assert.True(reconciled.IsNewerThan(before.Map) || reconciled == before.Map || reconciled.Version == before.Map.Version,
            $"reconciled map v{reconciled.Version} ballot {reconciled.Ballot}, before v{before.Map.Version} ballot {before.Map.Ballot}");
    }

    [Fact]
    public async Task ReplicaMovedThenPrimaryCrashes_RestoresEveryRouteFromTheMovedCopy()
    {
        var cm = chassis.Process("cm-1");

        // Ready is not enough to write: right after the chassis starts, its replica may have no card yet, and a write is
        // then refused (nothing changed). Wait for protection.
        var before = await Eventually.WaitAsync(() => cm.AsReference<IRedundantProcess>().GetStatus(), s => s is { State: ProcessState.Ready, Protected: true },
            TimeSpan.FromSeconds(30), "cm-1 ready and protected", s => $"state {s.State}, protected {s.Protected}, card {s.CardId}, missing {s.MissingCopies}");
        var ack = await cm.Update(Support.TestRoutes.Announce([.. Enumerable.Range(0, 200).Select(i => Support.TestRoutes.V4($"10.77.{i}.0/24"))]));
        var expected = Support.TestRoutes.Lines((await cm.GetRoutes()).Routes.Select(r => r.Route));
        var replica = chassis.Client.GetGrain<IHotStateReplica<Routing.State.RoutingState, Routing.State.RoutingDelta>>(ReplicaKeys.Format("cm-1", 0));
        var copy = await replica.Inspect();
        Assert.Equal(ack.Seq, copy.Seq);
        var target = new[] { "card-1", "card-2", "card-3" }.First(c => c != before.CardId && c != copy.CardId);

        // The replica moves to another card (as off a card that became a spare); before the primary's next change
        // refills it, the primary crashes and restores from it.
        await replica.Relocate(target);
        var moved = await Eventually.WaitAsync(() => replica.Inspect(), x => x.CardId == target, TimeSpan.FromSeconds(30),
            $"replica 0 of cm-1 moved from {copy.CardId} to {target}", x => $"on {x.CardId}, seq {x.Seq}, ballot {x.Ballot}");
        Assert.Equal((copy.Ballot, copy.CopyId, ack.Seq), (moved.Ballot, moved.CopyId, moved.Seq));
        await cm.AsReference<IRedundantProcess>().Crash();
        await chassis.WaitReadyAsync("cm-1", before.Epoch, "restored from the moved replica");

        var restored = await cm.GetRoutes();
        Assert.Equal(ack.Seq, restored.Seq);
        Assert.Equal(expected, Support.TestRoutes.Lines(restored.Routes.Select(r => r.Route)));
    }
}
