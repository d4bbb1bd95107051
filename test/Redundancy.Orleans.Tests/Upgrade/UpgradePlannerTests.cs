using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Client.Upgrade;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Upgrade;

[Trait("Category", TestCategories.Unit)]
public sealed class UpgradePlannerTests
{
    internal static CardInfo Card(string id, string role, int? slot, string version, bool alive = true) =>
        new() { CardId = id, Role = role, Slot = slot, Version = version, Alive = alive, StartRole = id.StartsWith("spare", StringComparison.Ordinal) ? CardRoles.Spare : role };

    internal static ChassisStatus Chassis(params CardInfo[] cards) =>
        new() { Cards = [Card("control", CardRoles.Control, null, "1.0.0"), .. cards], Processes = [] };

    [Fact]
    public void Plan_ThreeSlotsAndASpare_SpareFirstThenEachSlotThenTheLastVacatedCard()
    {
        var status = Chassis(Card("card-1", CardRoles.Line, 1, "1"), Card("card-2", CardRoles.Line, 2, "1"), Card("card-3", CardRoles.Line, 3, "1"), Card("spare-1", CardRoles.Spare, null, "1"));

        var plan = UpgradePlanner.Plan(status, "2").Select(s => s.ToString()).ToList();

        Assert.Equal(
        [
            "restart spare spare-1 at 2 (was 1)",
            "switch slot 1 over from card-1 to spare-1",
            "restart spare card-1 at 2 (was 1)",
            "switch slot 2 over from card-2 to card-1",
            "restart spare card-2 at 2 (was 1)",
            "switch slot 3 over from card-3 to card-2",
            "restart spare card-3 at 2 (was 1)",
            "every card runs the target version",
        ], plan);
    }

    [Fact]
    public void Next_CampaignStoppedAfterASwitchover_GoesOnWithTheVacatedCard()
    {
        var status = Chassis(Card("spare-1", CardRoles.Line, 1, "2"), Card("card-2", CardRoles.Line, 2, "1"), Card("card-1", CardRoles.Spare, null, "1"));

        Assert.Equal(new UpgradeAction.UpgradeSpare("card-1", "1", "2"), UpgradePlanner.Next(status, "2"));
    }

    [Fact]
    public void Next_RollbackAfterPartialUpgrade_MovesBackTheUpgradedSlots()
    {
        // Slot 1 runs 2 on spare-1, card-1 (spare) was already restarted at 2: rolling back to 1.
        var status = Chassis(Card("spare-1", CardRoles.Line, 1, "2"), Card("card-2", CardRoles.Line, 2, "1"), Card("card-1", CardRoles.Spare, null, "2"));

        var plan = UpgradePlanner.Plan(status, "1").Select(s => s.ToString()).ToList();

        Assert.Equal(["restart spare card-1 at 1 (was 2)", "switch slot 1 over from spare-1 to card-1", "restart spare spare-1 at 1 (was 2)", "every card runs the target version"], plan);
    }

    [Fact]
    public void Next_NoSpare_IsBlockedAndSaysWhy()
    {
        var action = UpgradePlanner.Next(Chassis(Card("card-1", CardRoles.Line, 1, "1"), Card("card-2", CardRoles.Line, 2, "1")), "2");

        Assert.Contains("no spare", Assert.IsType<UpgradeAction.Blocked>(action).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Next_DeadCardsAreIgnored_AndEverythingOnTarget_IsDone()
    {
        var status = Chassis(Card("card-1", CardRoles.Line, 1, "2"), Card("card-2", CardRoles.Line, null, "1", alive: false), Card("spare-1", CardRoles.Spare, null, "2"));

        Assert.IsType<UpgradeAction.Done>(UpgradePlanner.Next(status, "2"));
    }
}

[Trait("Category", TestCategories.Unit)]
public sealed class HealthGateTests
{
    private static ProcessStatus Process(string name, ProcessState state = ProcessState.Ready, bool isProtected = true, int restarts = 0, AuditReport? audit = null) =>
        new() { Name = name, Slot = 1, CardId = "card-1", State = state, Protected = isProtected, Restarts = restarts, LastAudit = audit };

    private static ChassisStatus With(params ProcessStatus[] processes) =>
        UpgradePlannerTests.Chassis(UpgradePlannerTests.Card("card-1", CardRoles.Line, 1, "1")) with { Processes = processes };

    [Fact]
    public void Check_ReadyProtectedNoRestarts_Passes() =>
        Assert.True(HealthGates.Check(With(Process("bgp-1"), Process("ospf-1")), new Dictionary<string, int>()).Passed);

    [Fact]
    public void Check_RestoringOrUnprotected_WaitsWithoutFailing()
    {
        var result = HealthGates.Check(With(Process("bgp-1", ProcessState.Restoring), Process("ospf-1", isProtected: false)), new Dictionary<string, int>());

        Assert.Empty(result.Failed);
        Assert.Equal(2, result.Waiting.Count);
        Assert.Contains("bgp-1 is restoring", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReplicaOnACardServingNoSlot_WaitsForItToMove()
    {
        var status = With(Process("bgp-1") with { Replicas = [new ReplicaInfo { Index = 0, CardId = "spare-1", InSync = true }] });
        status = status with { Cards = [.. status.Cards, UpgradePlannerTests.Card("spare-1", CardRoles.Spare, null, "1")] };

        var result = HealthGates.Check(status, new Dictionary<string, int>());

        Assert.Contains("bgp-1's replica 0 is still on spare-1", Assert.Single(result.Waiting), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RestartSinceBaseline_FailsAtOnce()
    {
        var result = HealthGates.Check(With(Process("bgp-1", restarts: 2)), new Dictionary<string, int> { ["bgp-1"] = 1 });

        Assert.Contains("bgp-1 restarted 1 time(s) during the campaign", Assert.Single(result.Failed), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RestartsBeforeTheCampaign_DoNotFail() =>
        Assert.True(HealthGates.Check(With(Process("bgp-1", restarts: 2)), new Dictionary<string, int> { ["bgp-1"] = 2 }).Passed);

    [Fact]
    public void Check_AuditLeftDiscrepancies_Fails()
    {
        var result = HealthGates.Check(With(Process("bgp-1", audit: new AuditReport { Missing = 3, Repaired = 1 })), new Dictionary<string, int>());

        Assert.Contains("2 discrepancies unrepaired", Assert.Single(result.Failed), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Quarantined_Fails() =>
        Assert.Contains("quarantined", Assert.Single(HealthGates.Check(With(Process("bgp-1", ProcessState.Quarantined)), new Dictionary<string, int>()).Failed), StringComparison.Ordinal);
}
