using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Cluster;

/// <summary>
/// A replica streams its copy to a restoring primary in chunks (<see cref="IHotStateReplica{TState, TDelta}.StreamSnapshot"/>).
/// This chassis streams in the smallest chunks, so a few thousand routes cross as hundreds of them.
/// </summary>
[Collection(SynchronousChassisCollection.Name)]
[Trait("Category", TestCategories.Cluster)]
public sealed class SnapshotStreamTests(SynchronousChassisFixture chassis)
{
    [Fact]
    public async Task Crash_RestoresExactlyFromACopyStreamedInHundredsOfChunks()
    {
        const string name = "stream-1";
        var process = chassis.Process(name);
        var before = await chassis.WaitReadyAsync(name);
        for (var batch = 0; batch < 5; batch++)
        {
            await process.Update(TestRoutes.Announce([.. Enumerable.Range(0, 1000).Select(i => TestRoutes.V4($"10.{100 + batch}.{i / 256}.{i % 256}/32", metric: i % 13))]));
        }

        var last = await process.Update(TestRoutes.Withdraw("10.100.0.1/32"));
        var expected = await process.GetRoutes();

        // What the primary will read: the copy's serialized form, many chunks long.
        var replica = chassis.Client.GetGrain<IHotStateReplica<RoutingState, RoutingDelta>>(ReplicaKeys.Format(name, 0));
        var chunks = await replica.StreamSnapshot(long.MaxValue, SynchronousChassisFixture.ChunkBytes).ToListAsync();
        Assert.True(chunks.Count >= 100, $"expected the copy of 5,000 routes in at least 100 chunks, got {chunks.Count}");
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(SynchronousChassisFixture.ChunkBytes, c.Length));

        using var watch = DiagnosticWatch.Start(FailoverDiagnostics.ListenerName);
        await process.AsReference<IRedundantProcess>().Crash();
        var after = await chassis.WaitReadyAsync(name, before.Epoch, "restored after the crash");

        // The restore read the copy as a stream (not the one-message call a replica of an older build answers).
        var ready = await watch.WaitAsync<ProcessReadyReport>(FailoverDiagnostics.ProcessReady, r => r.Process == name, TimeSpan.FromSeconds(30), $"{name} ready after the crash");
        Assert.Contains($"streamed in {chunks.Count} chunk(s), {chunks.Sum(c => c.Length)} bytes", ready.RestoredFrom);

        var restored = await process.GetRoutes();
        Assert.Equal(last.Seq, restored.Seq);
        Assert.Equal(5_000 - 1, restored.Routes.Count);
        Assert.Equal(TestRoutes.Lines(expected.Routes.Select(r => r.Route)), TestRoutes.Lines(restored.Routes.Select(r => r.Route)));
        Assert.Equal(before.CardId, after.CardId);
    }

    [Fact]
    public async Task Stream_ForALowerBallotThanPromised_IsRefused_AndAHigherPromiseEndsAStreamMidway()
    {
        const string name = "stream-2";
        var process = chassis.Process(name);
        var status = await chassis.WaitReadyAsync(name);
        await process.Update(TestRoutes.Announce([.. Enumerable.Range(0, 500).Select(i => TestRoutes.V4($"10.120.{i / 256}.{i % 256}/32"))]));
        var replica = chassis.Client.GetGrain<IHotStateReplica<RoutingState, RoutingDelta>>(ReplicaKeys.Format(name, 0));

        // The serving primary's ballot is promised: a lower one is refused before any byte is sent.
        var refused = await Assert.ThrowsAsync<RedundancyException>(async () => await replica.StreamSnapshot(status.Epoch - 1, SynchronousChassisFixture.ChunkBytes).ToListAsync());
        Assert.Equal(RedundancyErrorKind.NotServing, refused.Kind);
        Assert.Contains($"higher than {status.Epoch - 1}", refused.Message);

        // A stream under way is ended by a higher ballot's promise: a newer activation restored meanwhile.
        var stream = replica.StreamSnapshot(status.Epoch, SynchronousChassisFixture.ChunkBytes).WithBatchSize(1).GetAsyncEnumerator();
        try
        {
            Assert.True(await stream.MoveNextAsync());
            await process.AsReference<IRedundantProcess>().Crash();
            var restored = await chassis.WaitReadyAsync(name, status.Epoch, "restored after the crash (a higher ballot promised)");
            Assert.Equal(500, (await process.GetRoutes()).Routes.Count);
            var ended = await Assert.ThrowsAsync<RedundancyException>(async () => { while (await stream.MoveNextAsync()) { } });
            Assert.Contains("while it streamed its copy", ended.Message);
            Assert.Contains($"promised ballot {restored.Epoch}", ended.Message);
        }
        finally
        {
            await stream.DisposeAsync();
        }

        // A chunk size below the minimum is refused with the minimum named.
        var bad = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await replica.StreamSnapshot(long.MaxValue, 16).ToListAsync());
        Assert.Contains($"at least {SnapshotChunks.MinChunkBytes} bytes", bad.Message);
    }

    [Fact]
    public async Task ReplicaThatLostItsCopy_IsRefilledInChunks_AndTheProcessRestoresExactlyFromIt()
    {
        const string name = "stream-3";
        var process = chassis.Process(name);
        var before = await chassis.WaitReadyAsync(name);
        await process.Update(TestRoutes.Announce([.. Enumerable.Range(0, 2000).Select(i => TestRoutes.V4($"10.130.{i / 256}.{i % 256}/32", metric: i % 5))]));
        var replica = chassis.Client.GetGrain<IHotStateReplica<RoutingState, RoutingDelta>>(ReplicaKeys.Format(name, 0));
        var lost = await replica.Inspect();

        // The replica's activation goes without its copy (a deactivation, not a migration): the next call reaches an empty
        // one, which asks for a snapshot, and the primary sends the whole state in chunks.
        await replica.AsReference<global::Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var ack = await process.Update(TestRoutes.Announce(TestRoutes.V4("10.131.0.0/16")));
        var refilled = await Eventually.WaitAsync(
            () => replica.Inspect(),
            c => c.CopyId != lost.CopyId && c.Seq == ack.Seq,
            TimeSpan.FromSeconds(30),
            $"replica of '{name}' refilled as a new copy at seq {ack.Seq}",
            c => $"copy {c.CopyId} (lost {lost.CopyId}) at seq {c.Seq}, {c.State.Size} paths");
        Assert.Equal(2001, refilled.State.Size);

        // A stale sender's complete snapshot (a different state, a later seq) is refused and changes nothing; a stray chunk
        // asks for a restart; neither disturbs a transfer under way, which completes (here with the copy the replica holds).
        var observer = replica.AsReference<IHotStateObserver<RoutingState, RoutingDelta>>();
        var serializer = SnapshotSerializer.Any;
        var forged = new RoutingState();
        forged.Apply(new RoutingDelta { Announce = [TestRoutes.V4("10.66.0.0/16")] });
        var staleBytes = serializer.SerializeToArray(new HotStateSnapshot<RoutingState>(refilled.Ballot - 1, refilled.Seq + 100, forged));
        var stale = await observer.InstallPart(new SnapshotPart(Guid.NewGuid(), refilled.Ballot - 1, 0, staleBytes.Length, staleBytes));
        Assert.Equal(ReplicaOutcome.StaleBallot, stale.Outcome);

        var held = serializer.SerializeToArray(refilled);
        var transfer = Guid.NewGuid();
        var half = held.Length / 2;
        Assert.Equal(ReplicaOutcome.Applied, (await observer.InstallPart(new SnapshotPart(transfer, refilled.Ballot, 0, held.Length, held[..half]))).Outcome);
        Assert.Equal(ReplicaOutcome.StaleBallot, (await observer.InstallPart(new SnapshotPart(Guid.NewGuid(), refilled.Ballot - 1, 0, staleBytes.Length, staleBytes))).Outcome);
        Assert.Equal(ReplicaOutcome.NeedSnapshot, (await observer.InstallPart(new SnapshotPart(Guid.NewGuid(), refilled.Ballot, 1024, 4096, new byte[1024]))).Outcome);
        var malformed = await Assert.ThrowsAsync<ArgumentException>(() => observer.InstallPart(new SnapshotPart(Guid.NewGuid(), refilled.Ballot, 4000, 4096, new byte[1024])));
        Assert.Contains("does not fit a transfer of 4096 bytes", malformed.Message);
        var completed = await observer.InstallPart(new SnapshotPart(transfer, refilled.Ballot, half, held.Length, held[half..]));
        Assert.Equal((ReplicaOutcome.Applied, refilled.Seq), (completed.Outcome, completed.Seq));
        var unchanged = await replica.Inspect();
        Assert.Equal((refilled.CopyId, refilled.Seq, refilled.Ballot, 2001), (unchanged.CopyId, unchanged.Seq, unchanged.Ballot, unchanged.State.Size));
        Assert.False(unchanged.State.Rib.ContainsKey("10.66.0.0/16"));

        // The process restores every route from the refilled copy.
        var expected = await process.GetRoutes();
        await process.AsReference<IRedundantProcess>().Crash();
        await chassis.WaitReadyAsync(name, before.Epoch, "restored from the refilled copy");
        var restored = await process.GetRoutes();
        Assert.Equal(ack.Seq, restored.Seq);
        Assert.Equal(TestRoutes.Lines(expected.Routes.Select(r => r.Route)), TestRoutes.Lines(restored.Routes.Select(r => r.Route)));
    }
}
