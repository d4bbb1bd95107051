using Orleans.Serialization;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Placement;

namespace Redundancy.Orleans.Replication;

/// <summary>One replica as the primary reaches it: a grain reference in production, a simulated replica in the protocol simulator.</summary>
internal interface IReplicaChannel<TState, TDelta>
    where TState : IHotState<TDelta>, new()
{
    int Index { get; }

    Task<ReplicaAck> Promise(long ballot);

    /// <summary>The copy for a restore by <paramref name="ballot"/>; fails when the transfer stalls for <paramref name="stallTimeout"/>.</summary>
    Task<HotStateSnapshot<TState>> GetSnapshot(long ballot, TimeSpan stallTimeout);

    /// <summary>How the last copy <see cref="GetSnapshot"/> answered came (chunks, bytes), when the channel knows.</summary>
    string? LastTransfer => null;

    Task<ReplicaAck> Apply(DeltaBatch<TDelta> batch);

    /// <summary>
    /// Installs a snapshot; <paramref name="placeOn"/> names the card for a replica this call re-creates. Fails with a
    /// <see cref="TimeoutException"/> when a message of it (the whole, or one chunk of a large one) is not answered
    /// within <paramref name="timeout"/>.
    /// </summary>
    Task<ReplicaAck> Install(HotStateSnapshot<TState> snapshot, string? placeOn, TimeSpan timeout);

    Task<ReplicaAck> Poison(long ballot);

    Task Relocate(string? targetCardId);
}

/// <summary>
/// The production channel: calls the replica grain, its changes through the observer interface the grain implements
/// (<see cref="IHotStateObserver{TState, TDelta}"/>), its promises and copies through the replica interface. When someone listens to the bytes counter it measures the
/// deltas it sends with the same serializer the call uses (a second serialization, so only then); a snapshot is serialized
/// here anyway, to choose between one message and chunks.
/// </summary>
internal sealed class GrainReplicaChannel<TState, TDelta>(IHotStateReplica<TState, TDelta> replica, int index, Serializer serializer, RedundancyMetrics metrics, int chunkBytes, TimeProvider time) : IReplicaChannel<TState, TDelta>
    where TState : IHotState<TDelta>, new()
{
    private readonly IHotStateObserver<TState, TDelta> _observer = replica.AsReference<IHotStateObserver<TState, TDelta>>();

    public int Index => index;

    public Task<ReplicaAck> Promise(long ballot) => replica.Promise(ballot);

    public string? LastTransfer { get; private set; }

    public async Task<HotStateSnapshot<TState>> GetSnapshot(long ballot, TimeSpan stallTimeout)
    {
        LastTransfer = null;
        (var copy, LastTransfer) = await SnapshotChunks.ReadCopyAsync(replica, ballot, chunkBytes, serializer, stallTimeout, time);
        return copy;
    }

    public Task<ReplicaAck> Apply(DeltaBatch<TDelta> batch)
    {
        Measure(batch, "deltas");
        return _observer.Apply(batch);
    }

    /// <remarks>
    /// A snapshot that fits a chunk goes as one <see cref="IHotStateObserver{TState, TDelta}.Install"/>; a larger one as
    /// chunks of the bytes serialized here, before the first await (<see cref="IHotStateObserver{TState, TDelta}.InstallPart"/>),
    /// each answered within <paramref name="timeout"/> before the next is sent. A replica of an older build (a rolling
    /// upgrade) that does not know the chunked call gets the one message instead.
    /// </remarks>
    public async Task<ReplicaAck> Install(HotStateSnapshot<TState> snapshot, string? placeOn, TimeSpan timeout)
    {
        var bytes = serializer.SerializeToArray(snapshot);
        if (metrics.BytesEnabled)
        {
            metrics.BytesSent(bytes.Length, "snapshot");
        }

        // If a call re-creates the replica, placement puts it on the card the primary chose.
        if (placeOn is not null)
        {
            RequestContext.Set(ReplicaKeys.TargetCardContextKey, placeOn);
        }

        try
        {
            return bytes.Length <= chunkBytes
                ? await _observer.Install(snapshot).WaitAsync(timeout, time)
                : await InstallInChunksAsync(snapshot, bytes, timeout);
        }
        finally
        {
            if (placeOn is not null)
            {
                RequestContext.Remove(ReplicaKeys.TargetCardContextKey);
            }
        }
    }

    private async Task<ReplicaAck> InstallInChunksAsync(HotStateSnapshot<TState> snapshot, byte[] bytes, TimeSpan timeout)
    {
        var transfer = Guid.NewGuid();
        for (var offset = 0; ; offset += chunkBytes)
        {
            var part = new SnapshotPart(transfer, snapshot.Ballot, offset, bytes.Length, bytes[offset..Math.Min(bytes.Length, offset + chunkBytes)]);
            ReplicaAck ack;
            try
            {
                ack = await _observer.InstallPart(part).WaitAsync(timeout, time);
            }
            catch (Exception e) when (offset == 0 && e is not (Processes.RedundancyException or TimeoutException or ArgumentException or OutOfMemoryException))
            {
                return await _observer.Install(snapshot).WaitAsync(timeout, time); // a replica that predates chunked installs
            }

            if (part.Completes || ack.Outcome == ReplicaOutcome.StaleBallot)
            {
                return ack;
            }

            if (ack.Outcome != ReplicaOutcome.Applied)
            {
                throw new Processes.RedundancyException(Processes.RedundancyErrorKind.Unavailable,
                    $"Replica {index} lost the snapshot under way at byte {offset} of {bytes.Length} (its copy moved or restarted); it is sent again later.");
            }
        }
    }

    public Task<ReplicaAck> Poison(long ballot) => replica.Poison(ballot);

    public Task Relocate(string? targetCardId) => replica.Relocate(targetCardId);

    private void Measure<T>(T value, string kind)
    {
        if (metrics.BytesEnabled)
        {
            metrics.BytesSent(serializer.SerializeToArray(value).Length, kind);
        }
    }
}
