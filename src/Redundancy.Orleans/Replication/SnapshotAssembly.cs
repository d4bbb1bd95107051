using System.Buffers;
using System.Diagnostics;

namespace Redundancy.Orleans.Replication;

/// <summary>
/// The chunks of one snapshot a replica is receiving (<see cref="IHotStateObserver{TState, TDelta}.InstallPart"/>), free of
/// Orleans. It holds one transfer at a time: a first chunk starts a new one (a newer transfer replaces one under way); a
/// chunk that does not continue the one held asks the sender to start again and leaves the held one alone. A transfer of a
/// ballot below the replica's promise, or idle for <see cref="IdleLimit"/>, is dropped, so an abandoned one does not keep
/// its memory.
/// </summary>
internal sealed class SnapshotAssembly
{
    /// <summary>How long a transfer may wait for its next chunk before it is dropped.</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(60);

    private readonly List<byte[]> _parts = [];
    private Guid _transfer;
    private long _ballot;
    private int _total;
    private int _received;
    private long _lastPart;

    /// <summary>What a chunk did: held (more to come), completed the transfer, or did not continue the one held.</summary>
    public enum Step
    {
        Held,
        Completed,
        Restart,
    }

    /// <summary>Bytes held for a transfer under way (0 when none).</summary>
    public int HeldBytes => _received;

    /// <exception cref="ArgumentException">The chunk does not fit its transfer (never changes what is held).</exception>
    public static void Validate(SnapshotPart part)
    {
        if (part.Total is <= 0 or > SnapshotChunks.MaxTransferBytes || part.Offset < 0 || part.Bytes is not { Length: > 0 } || part.Offset + (long)part.Bytes.Length > part.Total)
        {
            throw new ArgumentException(
                $"Snapshot chunk [{part.Offset}, +{part.Bytes?.Length ?? 0}) does not fit a transfer of {part.Total} bytes (at most {SnapshotChunks.MaxTransferBytes}).", nameof(part));
        }
    }

    /// <summary>Takes a validated chunk whose ballot the caller checked against its promise; on completion, the bytes.</summary>
    public (Step Step, ReadOnlySequence<byte> Bytes) Accept(SnapshotPart part)
    {
        if (part.Offset == 0)
        {
            Drop();
            (_transfer, _ballot, _total) = (part.Transfer, part.Ballot, part.Total);
        }
        else if (_parts.Count == 0 || part.Transfer != _transfer || part.Offset != _received || part.Total != _total)
        {
            return (Step.Restart, default);
        }

        _parts.Add(part.Bytes);
        _received += part.Bytes.Length;
        _lastPart = Stopwatch.GetTimestamp();
        if (_received < _total)
        {
            return (Step.Held, default);
        }

        var bytes = SnapshotChunks.Sequence(_parts.ToArray());
        Drop();
        return (Step.Completed, bytes);
    }

    /// <summary>Drops a transfer of a ballot below <paramref name="promised"/>, or one idle for longer than <see cref="IdleLimit"/>.</summary>
    public void Tidy(long promised)
    {
        if (_parts.Count > 0 && (_ballot < promised || Stopwatch.GetElapsedTime(_lastPart) > IdleLimit))
        {
            Drop();
        }
    }

    private void Drop()
    {
        _parts.Clear();
        _received = 0;
    }
}
