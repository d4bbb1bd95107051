extern alias silo;
using Redundancy.Orleans.Configuration;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Testing;
using Xunit;
using DefaultProcessTable = silo::Redundancy.Orleans.Silo.Configuration.DefaultProcessTable;

namespace Redundancy.Orleans.Tests.Unit;

/// <summary>
/// The order a card restores its processes in: the table's priority, else the kind's <c>[RestorePriority]</c>, else 100;
/// lower first; equal priorities keep the table's order. Out-of-range priorities are refused.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class RestoreOrderTests
{
    private static ProcessDefinition P(string name, string kind = "routing", int? priority = null) => new() { Name = name, Slot = 1, Kind = kind, RestorePriority = priority };

    [Fact]
    public void TablePriority_ThenKindPriority_ThenDefault_LowerFirst_TiesKeepTheTablesOrder()
    {
        var table = new[] { P("bgp-1"), P("late", priority: 500), P("counter-1", kind: "counter"), P("bgp-2"), P("urgent", priority: 0), P("counter-2", kind: "counter", priority: 200) };
        int? KindPriority(string kind) => kind == "counter" ? 20 : null;

        Assert.Equal(["urgent", "counter-1", "bgp-1", "bgp-2", "counter-2", "late"], RestoreOrder.Of(table, KindPriority).Select(p => p.Name));
        Assert.Equal(ProcessDefinition.DefaultRestorePriority, RestoreOrder.Priority(P("x"), KindPriority));
    }

    [Fact]
    public void DefaultTable_RestoresTheInteriorGatewayProcessesBeforeBgp()
    {
        var table = DefaultProcessTable.Create(slots: 1, processesPerSlot: 3); // bgp-1, ospf-1, isis-1
        Assert.Equal(["ospf-1", "isis-1", "bgp-1"], RestoreOrder.Of(table, _ => null).Select(p => p.Name));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    public void OutOfRange_IsRefused(int priority)
    {
        Assert.Contains($"Redundancy:Processes:0:RestorePriority must be 0..1000 (got {priority}) for process 'bgp-1'.",
            RedundancyOptionsValidator.Collect(new RedundancyOptions { Processes = [P("bgp-1", priority: priority)] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestorePriorityAttribute(priority));
    }
}
