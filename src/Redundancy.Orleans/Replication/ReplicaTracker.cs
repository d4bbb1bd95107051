namespace Redundancy.Orleans.Replication;

/// <summary>What the primary last heard from one replica.</summary>
internal sealed class ReplicaTracker(int index)
{
    public int Index { get; } = index;

    public string? CopyId { get; private set; }

    public string? CardId { get; set; }

    public long AckedSeq { get; set; }

    public string? LastError { get; set; }

    public void Joined(string copyId, string? cardId, long seq)
    {
        CopyId = copyId;
        CardId = cardId;
        AckedSeq = seq;
    }

    public void Acked(ReplicaAck ack)
    {
        CopyId = ack.CopyId;
        CardId = ack.CardId;
        AckedSeq = ack.Seq;
        LastError = null;
    }

    public void Failed(Exception e) => LastError = e is TimeoutException ? "no answer in time" : e.GetType().Name + ": " + e.Message;
}
