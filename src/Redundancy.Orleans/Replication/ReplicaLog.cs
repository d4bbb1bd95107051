using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Replication;

/// <summary>
/// The replica side of the protocol, free of Orleans so it can be tested alone: apply deltas in
/// <c>seq</c> order, idempotently; ask for a snapshot on a gap; reject an older epoch (fencing).
/// </summary>
internal sealed class ReplicaLog<TState, TDelta>
    where TState : IHotState<TDelta>, new()
{
    public TState State { get; private set; } = new();

    /// <summary>The highest epoch seen: writes from an older epoch are refused.</summary>
    public long Epoch { get; private set; }

    /// <summary>Sequence number of the last applied delta.</summary>
    public long Seq { get; private set; }

    /// <summary>True once anything was installed or applied (an empty replica knows nothing).</summary>
    public bool HasState { get; private set; }

    public bool Poisoned { get; private set; }

    public ReplicaOutcome Apply(DeltaBatch<TDelta> batch)
    {
        if (batch.Epoch < Epoch)
        {
            return ReplicaOutcome.StaleEpoch;
        }

        if (!HasState && batch.FirstSeq > 1)
        {
            return ReplicaOutcome.NeedSnapshot;
        }

        if (batch.FirstSeq > Seq + 1)
        {
            return ReplicaOutcome.NeedSnapshot;
        }

        if (batch.Epoch > Epoch && batch.FirstSeq <= Seq)
        {
            // A new primary re-sends seqs we hold from an older epoch: they may differ. Only a snapshot is safe.
            return ReplicaOutcome.NeedSnapshot;
        }

        Epoch = batch.Epoch;
        for (var i = 0; i < batch.Deltas.Count; i++)
        {
            var seq = batch.FirstSeq + i;
            if (seq <= Seq)
            {
                continue; // already applied: idempotent by (epoch, seq)
            }

            State.Apply(batch.Deltas[i]);
            Seq = seq;
        }

        HasState = true;
        return ReplicaOutcome.Applied;
    }

    public ReplicaOutcome Install(HotStateSnapshot<TState> snapshot)
    {
        if (snapshot.Epoch < Epoch)
        {
            return ReplicaOutcome.StaleEpoch;
        }

        Epoch = snapshot.Epoch;
        Seq = snapshot.Seq;
        State = snapshot.State;
        Poisoned = snapshot.Poisoned;
        HasState = true;
        return ReplicaOutcome.Applied;
    }

    public ReplicaOutcome Fence(long epoch, long seq)
    {
        if (epoch < Epoch)
        {
            return ReplicaOutcome.StaleEpoch;
        }

        Epoch = epoch;
        return HasState && Seq == seq ? ReplicaOutcome.Applied : ReplicaOutcome.NeedSnapshot;
    }

    public ReplicaOutcome Poison(long epoch)
    {
        if (epoch < Epoch)
        {
            return ReplicaOutcome.StaleEpoch;
        }

        Poisoned = true;
        return ReplicaOutcome.Applied;
    }

    /// <summary>The copy; an empty replica answers seq 0 with empty state (and the epoch it has seen).</summary>
    public HotStateSnapshot<TState> Snapshot(string? cardId) => new(Epoch, Seq, State, Poisoned, cardId);
}
