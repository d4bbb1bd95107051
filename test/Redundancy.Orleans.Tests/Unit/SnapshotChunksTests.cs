using System.Runtime.CompilerServices;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

/// <summary>
/// The primary's side of a streamed copy (<see cref="SnapshotChunks.ReadCopyAsync"/>) against a replica that streams,
/// stalls, fails or predates streaming: the copy exactly, a stall bounded per chunk, the one-message fallback only where
/// a replica never streamed.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class SnapshotChunksTests
{
    private const int ChunkBytes = SnapshotChunks.MinChunkBytes;
    private static readonly TimeSpan Stall = TimeSpan.FromMilliseconds(300);

    private static HotStateSnapshot<RoutingState> Copy()
    {
        var state = new RoutingState();
        state.Apply(new RoutingDelta { Announce = [.. Enumerable.Range(0, 1000).Select(i => TestRoutes.V4($"10.7.{i / 256}.{i % 256}/32", metric: i))] });
        return new HotStateSnapshot<RoutingState>(4, 42, state, CardId: "card-2") { CopyId = "c1" };
    }

    private static byte[][] Chunks(HotStateSnapshot<RoutingState> copy) => SnapshotSerializer.Any.SerializeToArray(copy).Chunk(ChunkBytes).ToArray();

    private static Task<(HotStateSnapshot<RoutingState> Copy, string Transfer)> Read(FakeReplica replica) =>
        SnapshotChunks.ReadCopyAsync(replica, 4, ChunkBytes, SnapshotSerializer.Any, Stall, TimeProvider.System);

    [Fact]
    public async Task AStreamedCopy_IsReadExactly_AndSaysHowItCame()
    {
        var copy = Copy();
        var chunks = Chunks(copy);
        var (read, how) = await Read(new FakeReplica(_ => Stream(chunks)));
        Assert.True(chunks.Length > 5, $"the copy should span several chunks, got {chunks.Length}");
        Assert.Equal((copy.Ballot, copy.Seq, copy.CopyId, copy.CardId), (read.Ballot, read.Seq, read.CopyId, read.CardId));
        Assert.Equal(copy.State.Fingerprint(), read.State.Fingerprint());
        Assert.Matches($@"^streamed in {chunks.Length} chunk\(s\), {chunks.Sum(c => c.Length)} bytes \(first chunk after \d+ ms, all after \d+ ms, decoded in \d+ ms\)$", how);
    }

    [Fact]
    public async Task AReplicaThatDoesNotKnowTheStream_IsReadInOneMessage()
    {
        var copy = Copy();
        var (read, how) = await Read(new FakeReplica(_ => Fail(new InvalidOperationException("unknown request type")), copy));
        Assert.Same(copy, read);
        Assert.Equal("in one message (the replica did not stream: InvalidOperationException: unknown request type)", how);
    }

    [Fact]
    public async Task AStreamThatFailsAfterItsFirstChunk_OrIsRefused_IsNotAskedAgainInOneMessage()
    {
        var chunks = Chunks(Copy());
        var midway = new FakeReplica(_ => Stream(chunks.Take(2), then: new InvalidOperationException("enumeration aborted")), Copy());
        Assert.Equal("enumeration aborted", (await Assert.ThrowsAsync<InvalidOperationException>(() => Read(midway))).Message);
        Assert.Equal(0, midway.SingleCalls);

        var refused = new FakeReplica(_ => Fail(new RedundancyException(RedundancyErrorKind.NotServing, "promised ballot 9, higher than 4")), Copy());
        Assert.Contains("higher than 4", (await Assert.ThrowsAsync<RedundancyException>(() => Read(refused))).Message);
        Assert.Equal(0, refused.SingleCalls);
    }

    [Fact]
    public async Task AStalledStream_FailsAfterOneStallTimeout_AndItsPendingCallIsCancelled()
    {
        var chunks = Chunks(Copy());
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stalled = new FakeReplica(ct => Stream(chunks.Take(1), null, Timeout.InfiniteTimeSpan, ct, cancelled), Copy());
        var e = await Assert.ThrowsAsync<TimeoutException>(() => Read(stalled));
        Assert.Equal($"no snapshot chunk within 300 ms (after 1 chunk(s), {chunks[0].Length} bytes)", e.Message);
        Assert.Equal(0, stalled.SingleCalls);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the replica saw the cancellation of the pending chunk
    }

    [Fact]
    public async Task NeitherStreamedNorInOneMessage_SaysBoth()
    {
        var replica = new FakeReplica(_ => Fail(new InvalidOperationException("unknown request type")), single: null);
        var e = await Assert.ThrowsAsync<AggregateException>(() => Read(replica));
        Assert.Contains("neither be streamed (unknown request type) nor read in one message (silo unavailable)", e.Message, StringComparison.Ordinal);
    }

    private static async IAsyncEnumerable<byte[]> Stream(IEnumerable<byte[]> chunks, Exception? then = null, TimeSpan? stallFor = null,
        [EnumeratorCancellation] CancellationToken ct = default, TaskCompletionSource? cancelled = null)
    {
        foreach (var chunk in chunks)
        {
            await Task.Yield();
            yield return chunk;
        }

        if (stallFor is { } stall)
        {
            try
            {
                await Task.Delay(stall, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled?.TrySetResult();
                throw;
            }
        }

        if (then is not null)
        {
            throw then;
        }
    }

    private static async IAsyncEnumerable<byte[]> Fail(Exception e)
    {
        await Task.Yield();
        if (e is not null)
        {
            throw e;
        }

        yield break;
    }

    /// <summary>A replica as the primary reaches it: its stream, and the one-message copy (null: that call fails too).</summary>
    private sealed class FakeReplica(Func<CancellationToken, IAsyncEnumerable<byte[]>> stream, HotStateSnapshot<RoutingState>? single = null) : IHotStateReplica<RoutingState, RoutingDelta>
    {
        public int SingleCalls { get; private set; }

        public IAsyncEnumerable<byte[]> StreamSnapshot(long ballot, int chunkBytes) => new Deferred(stream);

        public Task<HotStateSnapshot<RoutingState>> GetSnapshot(long ballot)
        {
            SingleCalls++;
            return single is null ? Task.FromException<HotStateSnapshot<RoutingState>>(new InvalidOperationException("silo unavailable")) : Task.FromResult(single);
        }

        public Task<ReplicaAck> Promise(long ballot) => throw new NotSupportedException();

        public Task<HotStateSnapshot<RoutingState>> Inspect() => throw new NotSupportedException();

        public Task<ReplicaAck> Poison(long ballot) => throw new NotSupportedException();

        public Task Relocate(string? targetCardId) => throw new NotSupportedException();

        /// <summary>Hands the enumerator's cancellation token to the stream, as Orleans hands it to the remote enumeration.</summary>
        private sealed class Deferred(Func<CancellationToken, IAsyncEnumerable<byte[]>> stream) : IAsyncEnumerable<byte[]>
        {
            public IAsyncEnumerator<byte[]> GetAsyncEnumerator(CancellationToken cancellationToken = default) => stream(cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
    }
}
