using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Routing.Workload;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static Redundancy.Orleans.Tests.MultiProcess.ChassisChecks;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>
/// A full Internet table (1,250,000 prefixes of the synthetic table) in one process of real card processes: it restores
/// exactly after a crash, after its replica's card is killed (the copy refilled on another card, tens of megabytes in
/// chunks) and after its own card is killed (restored on the spare, streamed from the replica). Exactness is the state's
/// fingerprint (SHA-256 of every path) against the table generated here from the same seed. Runs alone: its memory and
/// its restores load the machine.
/// </summary>
[Collection(AloneCollection.Name)]
[Trait("Category", TestCategories.MultiProcess)]
public sealed class FullTableTests(ITestOutputHelper output)
{
    private const string Name = "table-1";
    private const int Seed = 7;

    [Fact]
    public async Task FullTable_RestoresExactly_AfterACrash_AReplicaCardKill_AndAPrimaryCardKill()
    {
        var prefixes = SyntheticTableSizes.FullTable;
        await using var chassis = EmbeddedChassisProcess.Launch(slots: 3, spares: 2, replacementCards: 0,
            [.. EmbeddedChassisProcess.ProcessArgs(0, Name, 1), "--Chassis:Workload=table", $"--Chassis:RoutesPerProcess={prefixes}", $"--Chassis:WorkloadSeed={Seed}"]);
        using var logs = new ChassisLogs(output, chassis);
        var api = chassis.Client;

        var expected = new RoutingState();
        expected.Apply(new RoutingDelta { Announce = [.. SyntheticTable.Routes(Seed, prefixes)] });
        var paths = expected.Size;
        var fingerprint = expected.Fingerprint();
        expected = null;

        var loaded = await api.WaitForAsync(s => s.Startup is { State: StartupState.Complete or StartupState.Incomplete }, TimeSpan.FromMinutes(5),
            $"start-up to load {prefixes} prefixes into {Name}");
        Assert.True(loaded.Startup!.State == StartupState.Complete, $"start-up {loaded.Startup.State}: {string.Join("; ", loaded.Startup.Problems)}");
        await using var gateway = await chassis.ConnectAsync();
        var process = gateway.Grains.GetGrain<IRoutingProcess>(Name).AsReference<IRedundantProcess>();
        await AssertExactAsync("after the load");

        // 1. A crash: restored on its card from the replica, streamed in chunks.
        var before = await WaitProtectedAsync(api, 1, "the full table protected before the crash");
        await api.CrashAsync(Name);
        await WaitReadyAsync(before, $"{Name} restored after the crash");
        await AssertExactAsync("after the crash");

        // 2. The replica's card dies: the primary refills a new copy on another card (in chunks), then restores from it.
        before = await WaitProtectedAsync(api, 1, "the full table protected before its replica's card is killed");
        var replicaCard = before.Processes.Single(p => p.Name == Name).Replicas.Single().CardId!;
        await api.KillCardAsync(replicaCard);
        var refilled = await api.WaitForAsync(s => IsProtected(s, s.Processes.Single(p => p.Name == Name), 1) && s.Processes.Single(p => p.Name == Name).Replicas.Single().CardId != replicaCard,
            TimeSpan.FromMinutes(3), $"{Name} protected again by a copy off {replicaCard} (the dead card)");
        await api.CrashAsync(Name);
        await WaitReadyAsync(refilled, $"{Name} restored from the refilled copy");
        await AssertExactAsync($"restored from the copy refilled after {replicaCard} died");

        // 3. Its own card dies: restored on a spare from the replica.
        before = await WaitProtectedAsync(api, 1, "the full table protected before its card is killed");
        var primaryCard = before.Processes.Single(p => p.Name == Name).CardId!;
        await api.KillCardAsync(primaryCard);
        var moved = await api.WaitForAsync(s => s.Processes.Single(p => p.Name == Name) is { State: ProcessState.Ready } p && p.CardId != primaryCard && s.Cards.Single(c => c.CardId == p.CardId).Alive,
            TimeSpan.FromMinutes(3), $"{Name} ready on a live card after {primaryCard} was killed");
        output.WriteLine($"{Name} moved from {primaryCard} to {moved.Processes.Single(p => p.Name == Name).CardId}");
        await AssertExactAsync($"after its card {primaryCard} was killed");

        async Task AssertExactAsync(string phase)
        {
            var held = await process.GetFingerprint();
            var status = (await api.GetChassisAsync()).Processes.Single(p => p.Name == Name);
            Assert.True(status.StateSize == paths, $"{phase}: {Name} holds {status.StateSize} paths, expected {paths}");
            Assert.True(held.Fingerprint == fingerprint, $"{phase}: {Name}'s fingerprint {held.Fingerprint} differs from the table's {fingerprint}");
        }

        Task<ChassisStatus> WaitReadyAsync(ChassisStatus earlier, string phase)
        {
            var epoch = earlier.Processes.Single(p => p.Name == Name).Epoch;
            return api.WaitForAsync(s => s.Processes.Single(p => p.Name == Name) is { State: ProcessState.Ready } p && p.Epoch > epoch, TimeSpan.FromMinutes(3), $"{phase} (epoch > {epoch})");
        }
    }
}
