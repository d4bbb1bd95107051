using System.Buffers;
using Orleans.Serialization;

namespace Redundancy.Orleans.Replication;

/// <summary>
/// A snapshot that crosses the wire in chunks (<see cref="IHotStateReplica{TState, TDelta}.StreamSnapshot"/>): the
/// receiving side reads the chunks, each within a stall timeout, and deserializes them where they lie (no second copy
/// of a full table).
/// </summary>
internal static class SnapshotChunks
{
    /// <summary>The smallest chunk a replica streams (tests use it to split a small copy into many chunks).</summary>
    public const int MinChunkBytes = 1024;

    /// <summary>The largest chunk: one Orleans message stays well under its body limit.</summary>
    public const int MaxChunkBytes = 64 * 1024 * 1024;

    /// <summary>The largest snapshot an observer accepts in chunks (a replica allocates the whole when the first arrives).</summary>
    public const int MaxTransferBytes = 1024 * 1024 * 1024;

    /// <summary>
    /// A replica's copy for <paramref name="ballot"/> (<see cref="long.MaxValue"/>: whatever it holds, promising nothing),
    /// streamed in chunks of <paramref name="chunkBytes"/> (<see cref="IHotStateReplica{TState, TDelta}.StreamSnapshot"/>).
    /// A stream that fails for another reason than a refusal or a stall (a replica of a build that predates streaming,
    /// in a rolling upgrade, does not know the call) is followed by the one-message copy, which checks the ballot the
    /// same way; a restore checks either answer against the replica's promise.
    /// </summary>
    /// <returns>The copy, and how it came: for the restore's log line and its ready report.</returns>
    public static async Task<(HotStateSnapshot<TState> Copy, string Transfer)> ReadCopyAsync<TState, TDelta>(
        IHotStateReplica<TState, TDelta> replica, long ballot, int chunkBytes, Serializer serializer, TimeSpan stallTimeout)
        where TState : IHotState<TDelta>, new()
    {
        try
        {
            return await ReadAsync<TState>(replica.StreamSnapshot(ballot, chunkBytes), serializer, stallTimeout);
        }
        catch (Exception e) when (e is not (Processes.RedundancyException or TimeoutException or OperationCanceledException or OutOfMemoryException))
        {
            var copy = await replica.GetSnapshot(ballot).WaitAsync(stallTimeout);
            return (copy, $"in one message (its stream failed: {e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>
    /// Reads <paramref name="chunks"/> to the end and deserializes the snapshot they carry. A chunk that does not arrive
    /// within <paramref name="stallTimeout"/> of the previous one ends the read with a <see cref="TimeoutException"/>
    /// (a slow but moving transfer of a full table is not cut off, as one timeout for the whole copy would).
    /// </summary>
    public static async Task<(HotStateSnapshot<TState> Copy, string Transfer)> ReadAsync<TState>(IAsyncEnumerable<byte[]> chunks, Serializer serializer, TimeSpan stallTimeout)
    {
        using var stall = new CancellationTokenSource(stallTimeout);
        var read = new List<byte[]>();
        try
        {
            await foreach (var chunk in chunks.WithBatchSize(1).WithCancellation(stall.Token))
            {
                read.Add(chunk);
                stall.CancelAfter(stallTimeout);
            }
        }
        catch (OperationCanceledException) when (stall.IsCancellationRequested)
        {
            throw new TimeoutException($"no snapshot chunk within {stallTimeout.TotalMilliseconds:0} ms (after {read.Count} chunk(s), {read.Sum(c => (long)c.Length)} bytes)");
        }

        var bytes = Sequence(read);
        return (Decode<TState>(serializer, bytes), $"streamed in {read.Count} chunk(s), {bytes.Length} bytes");
    }

    /// <summary>The snapshot a transfer's bytes carry.</summary>
    /// <exception cref="InvalidDataException">The bytes carry no snapshot.</exception>
    public static HotStateSnapshot<TState> Decode<TState>(Serializer serializer, ReadOnlySequence<byte> bytes) =>
        serializer.Deserialize<HotStateSnapshot<TState>>(bytes)
        ?? throw new InvalidDataException($"A snapshot transfer of {bytes.Length} bytes carried no snapshot.");

    /// <summary>The chunks as one sequence, without copying them.</summary>
    internal static ReadOnlySequence<byte> Sequence(IReadOnlyList<byte[]> chunks)
    {
        if (chunks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(chunks[0], 0);
        var last = first;
        for (var i = 1; i < chunks.Count; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
