using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Testing;
using Xunit;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Tests.Unit;

[Trait("Category", TestCategories.Unit)]
public sealed class OptionsValidationTests
{
    [Fact]
    public void Defaults_AreValid() => Assert.Empty(RedundancyOptionsValidator.Collect(new RedundancyOptions()));

    [Theory]
    [InlineData(0, "Redundancy:ReplicaCount must be 1..8 (got 0).")]
    [InlineData(9, "Redundancy:ReplicaCount must be 1..8 (got 9).")]
    public void ReplicaCount_OutOfRange_NamesFieldAndValue(int k, string expected) =>
        Assert.Contains(expected, RedundancyOptionsValidator.Collect(new RedundancyOptions { ReplicaCount = k }));

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void MaxConcurrentRestores_OutOfRange_NamesFieldAndValue(int n) =>
        Assert.Contains($"Redundancy:MaxConcurrentRestores must be 1..1000 (got {n}).", RedundancyOptionsValidator.Collect(new RedundancyOptions { MaxConcurrentRestores = n }));

    [Theory]
    [InlineData(0)]
    [InlineData(1023)]
    [InlineData(64 * 1024 * 1024 + 1)]
    public void SnapshotChunkBytes_OutOfRange_NamesFieldAndValue(int n) =>
        Assert.Contains($"Redundancy:SnapshotChunkBytes must be 1024..67108864 (got {n}).", RedundancyOptionsValidator.Collect(new RedundancyOptions { SnapshotChunkBytes = n }));

    [Fact]
    public void Timings_Invalid_NameFieldAndValue()
    {
        var errors = RedundancyOptionsValidator.Collect(new RedundancyOptions
        {
            FlushInterval = TimeSpan.Zero,
            RestoreTimeout = TimeSpan.FromSeconds(-1),
            MaxRestarts = -1,
        });
        Assert.Contains(errors, e => e.StartsWith("Redundancy:FlushInterval must be 1 ms..1 h (got 00:00:00)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Redundancy:RestoreTimeout must be more than 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Redundancy:MaxRestarts must be 0..1000 (got -1)", StringComparison.Ordinal));
    }

    [Fact]
    public void ProcessTable_Problems_AreAllReported()
    {
        var errors = RedundancyOptionsValidator.Collect(new RedundancyOptions
        {
            Processes =
            [
                new ProcessDefinition { Name = "bgp-1", Slot = 1, Peers = ["ghost", "bgp-1"] },
                new ProcessDefinition { Name = "bgp-1", Slot = 0 },
                new ProcessDefinition { Name = "bad name!", Slot = 2 },
                new ProcessDefinition { Name = "chassis", Slot = 3 },
            ],
        });
        Assert.Contains("Redundancy:Processes:3:Name 'chassis' is reserved for the chassis manager.", errors);
        Assert.Contains("Redundancy:Processes:1:Name 'bgp-1' is a duplicate process name.", errors);
        Assert.Contains("Redundancy:Processes:1:Slot must be 1 or more (got 0) for process 'bgp-1'.", errors);
        Assert.Contains(errors, e => e.StartsWith("Redundancy:Processes:2:Name 'bad name!' is invalid", StringComparison.Ordinal));
        Assert.Contains("Redundancy:Processes:0:Peers names unknown process 'ghost'.", errors);
        Assert.Contains("Redundancy:Processes:0:Peers: process 'bgp-1' cannot peer with itself.", errors);
    }

    [Theory]
    [InlineData("", CardRoles.Line, 1, "Card id '' is invalid")]
    [InlineData("card 1", CardRoles.Line, 1, "Card id 'card 1' is invalid")]
    [InlineData("card-1", "backup", null, "Card role 'backup' is invalid")]
    [InlineData("card-1", CardRoles.Line, null, "needs a slot of 1 or more (got none)")]
    [InlineData("card-1", CardRoles.Line, 0, "needs a slot of 1 or more (got 0)")]
    [InlineData("spare-1", CardRoles.Spare, 2, "must not have a slot (got 2)")]
    public void CardIdentity_Invalid_NamesFieldAndValue(string id, string role, int? slot, string expected) =>
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => new CardIdentity(id, role, slot)).Message);
}
