using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Replication.Ledger;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Protocol;

[Trait("Category", "Unit")]
[Trait("Category", TestCategories.Unit)]
public sealed class LedgerRulesTests
{
    private static readonly InSyncMember R0 = new(0, "a", "card-2");
    private static readonly InSyncMember R1 = new(1, "b", "card-3");

    [Fact]
    public void Begin_EveryActivationGetsANewBallot()
    {
        var record = new LedgerRecord();
        Assert.Equal([1L, 2L, 3L], [LedgerRules.Begin(record).Ballot, LedgerRules.Begin(record).Ballot, LedgerRules.Begin(record).Ballot]);
    }

    [Fact]
    public void ChangeInSync_OnlyTheHighestBallot_AndNeverTwiceForOneVersion()
    {
        var record = new LedgerRecord();
        var old = LedgerRules.Begin(record).Ballot;
        var current = LedgerRules.Begin(record).Ballot;
        Assert.Equal(LedgerOutcome.Superseded, LedgerRules.ChangeInSync(record, old, 0, [R0], 5).Answer.Outcome);

        var (answer, changed) = LedgerRules.ChangeInSync(record, current, 0, [R0, R1], 5);
        Assert.True(changed);
        Assert.Equal((LedgerOutcome.Accepted, 1L), (answer.Outcome, answer.InSync.Version));

        // The same request again (its answer was lost): accepted, nothing changes. Another set for the same version: conflict.
        var again = LedgerRules.ChangeInSync(record, current, 0, [R0, R1], 5);
        Assert.Equal((LedgerOutcome.Accepted, false), (again.Answer.Outcome, again.Changed));
        Assert.Equal(LedgerOutcome.Conflict, LedgerRules.ChangeInSync(record, current, 0, [R0], 5).Answer.Outcome);
        Assert.Equal(2, LedgerRules.ChangeInSync(record, current, 1, [R0], 6).Answer.InSync.Version);
    }

    [Fact]
    public void RebuildReason_StaysUntilTheRebuiltStateReachedAReplica()
    {
        var record = new LedgerRecord { RebuildReason = "operator" };
        var ballot = LedgerRules.Begin(record).Ballot;
        LedgerRules.ChangeInSync(record, ballot, 0, [], 0);
        Assert.Equal("operator", record.RebuildReason);
        LedgerRules.ChangeInSync(record, ballot, 1, [R0], 3);
        Assert.Null(record.RebuildReason);
    }
}
