using System.Diagnostics;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Protocol.Simulation;
using Xunit;
using Xunit.Abstractions;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Tests.Protocol;

/// <summary>
/// The simulator is shown to find each hole of the old protocol (issue 11): with the switch that brings one old behaviour
/// back, the checker must report a violation within a bounded number of schedules. A checker that cannot catch these
/// would pass the main simulation vacuously. Hole 3 alone (seq-first ordering, a promise that restamps data) is not
/// reachable once restores take only members of the in-sync set: 4,000 schedules with either switch alone found nothing,
/// because every member holds every protected change. <see cref="RestorerTests"/> pins the ordering rule itself.
/// </summary>
[Trait("Category", "Simulation")]
[Trait("Category", TestCategories.Simulation)]
public sealed class ProtocolFlawTests(ITestOutputHelper output)
{
    public static TheoryData<string> Flaws() => [.. Cases.Keys];

    private static readonly Dictionary<string, (ProtocolFlaws Flaw, SimConfig Config, int Budget)> Cases = new()
    {
        ["hole 1: commit swallows replica failures"] = (ProtocolFlaws.SwallowReplicaFailures, new SimConfig { Name = "sync k=1" }, 400),
        ["hole 2: restore from any replica"] = (ProtocolFlaws.RestoreFromAnyReplica, new SimConfig { Name = "sync k=2 min=1", ReplicaCount = 2, MinInSync = 1, MaxCardFaults = 3 }, 2000),
        ["holes 2, 3: the old restore (any replica, freshest by seq, promise restamps data)"] = (
            ProtocolFlaws.RestoreFromAnyReplica | ProtocolFlaws.FreshestBySeqFirst | ProtocolFlaws.PromiseRestampsData,
            new SimConfig { Name = "sync k=2", ReplicaCount = 2, MaxCardFaults = 3 }, 2000),
        ["the old protocol (every switch)"] = ((ProtocolFlaws)~0, new SimConfig { Name = "sync k=1" }, 500),
        ["holes 4, 6: ballot from replicas"] = (ProtocolFlaws.BallotFromReplicas, new SimConfig { Name = "sync k=1" }, 2000),
        ["hole 9: move without in-sync check"] = (ProtocolFlaws.MoveWithoutInSyncCheck, new SimConfig { Name = "periodic k=1", Mode = ReplicationMode.Periodic }, 2000),
        ["hole 10: effects before protection"] = (ProtocolFlaws.EffectsBeforeProtection, new SimConfig { Name = "sync k=1" }, 2000),
    };

    [Theory]
    [MemberData(nameof(Flaws))]
    public void OldBehaviour_CheckerFindsAViolation(string hole)
    {
        var (flaw, baseConfig, budget) = Cases[hole];
        var config = baseConfig with { Name = $"{baseConfig.Name} + {flaw}", Flaws = flaw };
        var watch = Stopwatch.StartNew();
        foreach (var seed in Enumerable.Range(1, budget))
        {
            var result = SimRun.Execute(config, seed);
            if (!result.Passed)
            {
                output.WriteLine($"{hole}: found after {seed} schedule(s) in {watch.Elapsed.TotalSeconds:0.0} s\n{result.Describe()}");
                return;
            }
        }

        Assert.Fail($"{hole}: the checker found no violation in {budget} schedules with {flaw} on ({watch.Elapsed.TotalSeconds:0.0} s)");
    }
}
