using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

/// <summary>
/// The chassis manager's side of a failover without a grain around it: which event a ready report closes, when a
/// report from before the event opened counts (a spare's process can be ready before the manager commits the failover),
/// and when an event is complete with which timings.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class FailoverCoordinatorTests
{
    private static readonly DateTimeOffset Fault = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Detected = Fault.AddMilliseconds(700);
    private static readonly DateTimeOffset Placed = Detected.AddMilliseconds(30);

    private static ChassisEvent CardFailover(int processes = 2, string? spare = "spare-1") =>
        FailoverCoordinator.Open(new SlotAssignment.Change(2, "card-2", spare, ChassisEventKind.CardFailover), id: 5, Detected, Placed, placeMs: 30, Fault, processes);

    private static ChassisEvent Switchover() =>
        FailoverCoordinator.Open(new SlotAssignment.Change(2, "card-2", "card-4", ChassisEventKind.Switchover), id: 6, Detected, Placed, placeMs: 3, faultAt: null, processes: 2);

    private static ProcessReadyReport Ready(string process, DateTimeOffset at, string card = "spare-1", double restoreMs = 10, double auditMs = 2) =>
        new(process, 2, card, restoreMs, auditMs, at);

    [Fact]
    public void Open_CardFailover_TimesDetectionFromTheFault_AndSaysWhereTheSlotWent()
    {
        var e = CardFailover();

        Assert.Equal((5L, ChassisEventKind.CardFailover, "card-2", 2, "spare-1"), (e.Id, e.Kind, e.CardId, e.Slot, e.NewCardId));
        Assert.Equal((Fault, Detected, Placed, 2), (e.FaultAt, e.DetectedAt, e.PlacedAt, e.Processes));
        Assert.Equal(700, e.DetectMs);
        Assert.Equal(30, e.PlaceMs);
        Assert.Null(e.ReadyAt);
        Assert.Equal("card card-2 failed: slot 2 -> card spare-1", e.Message);
        Assert.Equal("card card-2 failed: slot 2 -> no spare left: processes spread over the active cards (degraded)", CardFailover(spare: null).Message);
    }

    [Fact]
    public void Count_EachProcessOnce_CompleteWhenAllReady_WithTheSlowestRestoreAndAudit()
    {
        var e = CardFailover();

        var first = FailoverCoordinator.Count(e, Ready("bgp-2", Placed.AddMilliseconds(200), restoreMs: 150, auditMs: 9));
        Assert.NotNull(first);
        Assert.Null(first.ReadyAt);
        Assert.Equal(1, first.ProcessesReady);
        Assert.Null(FailoverCoordinator.Count(first, Ready("bgp-2", Placed.AddMilliseconds(400))));

        var done = FailoverCoordinator.Count(first, Ready("ospf-2", Placed.AddMilliseconds(300), restoreMs: 90, auditMs: 20));
        Assert.NotNull(done);
        Assert.Equal(Placed.AddMilliseconds(300), done.ReadyAt);
        Assert.Equal(700 + 30 + 300, done.TotalMs);
        Assert.Equal(150, done.RestoreMs);
        Assert.Equal(20, done.AuditMs);
        Assert.Equal(new[] { "bgp-2", "ospf-2" }, done.ReadyProcesses);
        Assert.Equal("card card-2 failed: slot 2 -> card spare-1; 2/2 processes ready in 1030 ms (detect 700 ms, place 30 ms, restore 150 ms, audit 20 ms)", done.Message);
    }

    [Fact]
    public void Match_ReportOnTheNewCard_FromJustBeforeTheFailoverOpened_CountsAsReadyWhenPlaced()
    {
        var coordinator = new FailoverCoordinator();
        var e = CardFailover();

        var match = coordinator.Match([e], Ready("bgp-2", Detected.AddMilliseconds(-5)), now: Detected);

        Assert.NotNull(match);
        Assert.Equal(e.Id, match.Value.Open.Id);
        Assert.Equal(Placed, match.Value.Report.ReadyAt);
    }

    [Fact]
    public void Match_Switchover_KeepsTheStrictOrder_AndNoEventTakesAReportFromAnotherCard()
    {
        var coordinator = new FailoverCoordinator();

        // The switchover's target may have held the process before: a report from before the switchover is not its.
        Assert.Null(coordinator.Match([Switchover()], Ready("bgp-2", Detected.AddMilliseconds(-5), card: "card-4"), now: Detected));
        Assert.NotNull(coordinator.Match([Switchover()], Ready("bgp-2", Detected.AddMilliseconds(5), card: "card-4"), now: Detected));
        Assert.Null(coordinator.Match([CardFailover()], Ready("bgp-2", Detected.AddMilliseconds(5), card: "card-3"), now: Detected));
        Assert.Null(coordinator.Match([CardFailover() with { ReadyAt = Placed }], Ready("bgp-2", Detected.AddMilliseconds(5)), now: Detected));

        // Early only within the window: a report on the new card from longer ago is an earlier life of the process.
        var tooEarly = Detected - FailoverCoordinator.EarlyReadyWindow - TimeSpan.FromMilliseconds(1);
        Assert.Null(coordinator.Match([CardFailover()], Ready("bgp-2", tooEarly), now: Detected));
    }

    [Fact]
    public void Match_DegradedFailover_TakesTheReportOfAnyCard()
    {
        var coordinator = new FailoverCoordinator();

        var match = coordinator.Match([CardFailover(spare: null)], Ready("bgp-2", Detected.AddMilliseconds(50), card: "card-3"), now: Detected);

        Assert.NotNull(match);
        Assert.Equal(Detected.AddMilliseconds(50), match.Value.Report.ReadyAt);
    }

    [Fact]
    public void EarlyReady_AReportThatFoundNoEvent_CountsWhenTheCardFailoverOpens_InProcessOrder()
    {
        var coordinator = new FailoverCoordinator();
        Assert.Null(coordinator.Match([], Ready("ospf-2", Detected.AddMilliseconds(-30)), now: Detected.AddMilliseconds(-30)));
        Assert.Null(coordinator.Match([], Ready("bgp-2", Detected.AddMilliseconds(-20)), now: Detected.AddMilliseconds(-20)));
        Assert.Null(coordinator.Match([], Ready("isis-2", Detected.AddMilliseconds(-10), card: "card-3"), now: Detected.AddMilliseconds(-10)));

        var early = coordinator.EarlyReady(CardFailover());

        Assert.Equal(new[] { "bgp-2", "ospf-2" }, early.Select(r => r.Process));
        Assert.All(early, r => Assert.Equal(Placed, r.ReadyAt));
    }

    [Fact]
    public void EarlyReady_NotForASwitchover_EvenFromItsTargetCard()
    {
        var coordinator = new FailoverCoordinator();
        Assert.Null(coordinator.Match([], Ready("bgp-2", Detected.AddMilliseconds(-20), card: "card-4"), now: Detected.AddMilliseconds(-20)));

        Assert.Empty(coordinator.EarlyReady(Switchover()));
        Assert.Single(coordinator.EarlyReady(CardFailover(spare: "card-4")));
    }

    [Fact]
    public void EarlyReady_OnlyReportsFromBeforeTheEventAndWithinTheWindow()
    {
        var coordinator = new FailoverCoordinator();
        var old = Detected - FailoverCoordinator.EarlyReadyWindow - TimeSpan.FromSeconds(1);
        coordinator.Match([], Ready("bgp-2", old), now: old);
        coordinator.Match([], Ready("ospf-2", Detected.AddMilliseconds(1)), now: Detected.AddMilliseconds(1));

        // The old one is outside the window; the other is not early: it matches the event the normal way.
        Assert.Empty(coordinator.EarlyReady(CardFailover()));
    }
}
