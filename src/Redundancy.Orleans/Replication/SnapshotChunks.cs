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
    /// A stream that fails before its first chunk with an error other than a refusal, a stall or a bad argument (a
    /// replica of a build that predates streaming, in a rolling upgrade, does not know the call) is followed by the
    /// one-message copy, which checks the ballot the same way; a restore checks either answer against the replica's
    /// promise. A stream that fails after its first chunk is not asked again here (the restore moves on).
    /// </summary>
    /// <returns>The copy, and how it came: for the restore's log line and its ready report.</returns>
    public static async Task<(HotStateSnapshot<TState> Copy, string Transfer)> ReadCopyAsync<TState, TDelta>(
        IHotStateReplica<TState, TDelta> replica, long ballot, int chunkBytes, Serializer serializer, TimeSpan stallTimeout, TimeProvider time)
        where TState : IHotState<TDelta>, new()
    {
        var chunks = new List<byte[]>();
        try
        {
            return await ReadAsync<TState>(replica.StreamSnapshot(ballot, chunkBytes), chunks, serializer, stallTimeout, time);
        }
        catch (Exception e) when (chunks.Count == 0 && e is not (Processes.RedundancyException or TimeoutException or OperationCanceledException
                                      or ArgumentException or InvalidDataException or OutOfMemoryException))
        {
            try
            {
                var copy = await replica.GetSnapshot(ballot).WaitAsync(stallTimeout, time);
                return (copy, $"in one message (the replica did not stream: {e.GetType().Name}: {e.Message})");
            }
            catch (Exception again) when (again is not OutOfMemoryException)
            {
                throw new AggregateException($"The copy could neither be streamed ({e.Message}) nor read in one message ({again.Message}).", e, again);
            }
        }
    }

    /// <summary>
    /// Reads <paramref name="stream"/> to the end into <paramref name="chunks"/> and deserializes the snapshot they carry. A
    /// chunk that does not arrive within <paramref name="stallTimeout"/> of the previous one ends the read with a
    /// <see cref="TimeoutException"/> (a slow but moving transfer of a full table is not cut off, as one timeout for the
    /// whole copy would be); the pending call is cancelled and the enumeration disposed in the background, bounded by
    /// the same timeout, so a stalled replica costs the restore one stall timeout.
    /// </summary>
    public static async Task<(HotStateSnapshot<TState> Copy, string Transfer)> ReadAsync<TState>(
        IAsyncEnumerable<byte[]> stream, List<byte[]> chunks, Serializer serializer, TimeSpan stallTimeout, TimeProvider time)
    {
        using var cancel = new CancellationTokenSource();
        var started = time.GetTimestamp();
        var firstChunk = TimeSpan.Zero;
        var enumerator = stream.WithBatchSize(1).GetAsyncEnumerator(cancel.Token);
        var finished = false;
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().AsTask().WaitAsync(stallTimeout, time);
                }
                catch (TimeoutException)
                {
                    throw new TimeoutException($"no snapshot chunk within {stallTimeout.TotalMilliseconds:0} ms (after {chunks.Count} chunk(s), {chunks.Sum(c => (long)c.Length)} bytes)");
                }

                if (!more)
                {
                    break;
                }

                chunks.Add(enumerator.Current);
                if (chunks.Count == 1)
                {
                    firstChunk = time.GetElapsedTime(started);
                }
            }

            finished = true;
        }
        finally
        {
            if (finished)
            {
                await enumerator.DisposeAsync();
            }
            else
            {
                await cancel.CancelAsync();
                DisposeInBackground(enumerator, stallTimeout, time);
            }
        }

        // Where a restore's time goes: the replica serializing its copy (until the first chunk), the transfer, the decode.
        var transferred = time.GetElapsedTime(started);
        var bytes = Sequence(chunks);
        var copy = Decode<TState>(serializer, bytes);
        var decoded = time.GetElapsedTime(started) - transferred;
        return (copy, $"streamed in {chunks.Count} chunk(s), {bytes.Length} bytes (first chunk after {firstChunk.TotalMilliseconds:0} ms, "
            + $"all after {transferred.TotalMilliseconds:0} ms, decoded in {decoded.TotalMilliseconds:0} ms)");
    }

    /// <summary>The snapshot a transfer's bytes carry.</summary>
    /// <exception cref="InvalidDataException">The bytes carry no snapshot.</exception>
    public static HotStateSnapshot<TState> Decode<TState>(Serializer serializer, ReadOnlySequence<byte> bytes) =>
        serializer.Deserialize<HotStateSnapshot<TState>>(bytes)
        ?? throw new InvalidDataException($"A snapshot transfer of {bytes.Length} bytes carried no snapshot.");

    /// <summary>Ends an abandoned enumeration without waiting for it: a replica that stalled may never answer its disposal.</summary>
    private static void DisposeInBackground(IAsyncEnumerator<byte[]> enumerator, TimeSpan bound, TimeProvider time) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await enumerator.DisposeAsync().AsTask().WaitAsync(bound, time);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The enumeration is gone either way; Orleans drops an enumerator nobody reads.
            }
        });

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
