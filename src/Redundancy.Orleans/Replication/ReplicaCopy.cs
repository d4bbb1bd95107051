namespace Redundancy.Orleans.Replication;

/// <summary>
/// The replica side of the protocol, free of Orleans so that it can be tested and simulated alone (I4, I5). A copy
/// knows the highest ballot it promised, the ballot that wrote its data, its seq, and its own identity. It applies
/// deltas only on top of the history they continue; it refuses every ballot lower than its promise.
/// </summary>
internal sealed class ReplicaCopy<TState, TDelta>(string copyId, ProtocolFlaws flaws = ProtocolFlaws.None)
    where TState : IHotState<TDelta>, new()
{
    public TState State { get; private set; } = new();

    /// <summary>The identity of this copy: a new one for a replica that started empty.</summary>
    public string CopyId { get; } = copyId;

    /// <summary>The highest ballot promised: every lower one is refused.</summary>
    public long Promised { get; private set; }

    /// <summary>The ballot of the primary whose changes produced the data.</summary>
    public long DataBallot { get; private set; }

    /// <summary>Sequence number of the last change in the data.</summary>
    public long Seq { get; private set; }

    /// <summary>True once anything was installed (an empty replica knows nothing).</summary>
    public bool HasState { get; private set; }

    public bool Poisoned { get; private set; }

    /// <summary>A replica that starts empty promises the highest ballot the ledger knows, before it answers anyone.</summary>
    public void PromiseAtLeast(long ballot) => Promised = Math.Max(Promised, ballot);

    public ReplicaOutcome Promise(long ballot)
    {
        if (ballot < Promised)
        {
            return ReplicaOutcome.StaleBallot;
        }

        Promised = ballot;
        if (flaws.HasFlag(ProtocolFlaws.PromiseRestampsData) && HasState)
        {
            DataBallot = ballot; // the old fence: the copy claims a ballot its data was never written in
        }

        return ReplicaOutcome.Applied;
    }

    public ReplicaOutcome Apply(DeltaBatch<TDelta> batch)
    {
        if (batch.Ballot < Promised)
        {
            return ReplicaOutcome.StaleBallot;
        }

        Promised = batch.Ballot; // accepting a ballot's write promises it
        if (!HasState)
        {
            return ReplicaOutcome.NeedSnapshot;
        }

        if (DataBallot != batch.Ballot)
        {
            // Data from an older primary continues this one's history only if it is exactly the copy it restored from.
            if (DataBallot != batch.BaseBallot || Seq != batch.BaseSeq || batch.FirstSeq != Seq + 1)
            {
                return ReplicaOutcome.NeedSnapshot;
            }

            DataBallot = batch.Ballot;
        }

        if (batch.FirstSeq > Seq + 1)
        {
            return ReplicaOutcome.NeedSnapshot;
        }

        for (var i = 0; i < batch.Deltas.Count; i++)
        {
            var seq = batch.FirstSeq + i;
            if (seq > Seq)
            {
                State.Apply(batch.Deltas[i]);
                Seq = seq;
            }
        }

        return ReplicaOutcome.Applied;
    }

    public ReplicaOutcome Install(HotStateSnapshot<TState> snapshot)
    {
        if (snapshot.Ballot < Promised)
        {
            return ReplicaOutcome.StaleBallot;
        }

        if (HasState && snapshot.Ballot == DataBallot && snapshot.Seq < Seq)
        {
            return ReplicaOutcome.Applied; // a late, older snapshot of the same history: the copy already holds more
        }

        Promised = Math.Max(Promised, snapshot.Ballot);
        DataBallot = snapshot.Ballot;
        Seq = snapshot.Seq;
        State = snapshot.State;
        Poisoned = snapshot.Poisoned;
        HasState = true;
        return ReplicaOutcome.Applied;
    }

    public ReplicaOutcome Poison(long ballot)
    {
        if (ballot < Promised)
        {
            return ReplicaOutcome.StaleBallot;
        }

        Poisoned = true;
        return ReplicaOutcome.Applied;
    }

    /// <summary>The copy's state for a restore by <paramref name="ballot"/>; null when a higher ballot was promised.</summary>
    public HotStateSnapshot<TState>? Snapshot(long ballot, string? cardId) =>
        ballot < Promised ? null : new(DataBallot, Seq, State, Poisoned, cardId) { CopyId = CopyId };

    /// <summary>The answer to any call: the outcome and where the copy stands.</summary>
    public ReplicaAck Ack(ReplicaOutcome outcome, string? cardId) =>
        new(outcome, Promised, Seq, cardId) { DataBallot = DataBallot, CopyId = CopyId, HasState = HasState, Poisoned = Poisoned };
}
