namespace Redundancy.Orleans.Routing.Peers;

/// <summary>
/// Outbound advertisement state towards one peer. Only touched from the owning grain's scheduler.
/// A fresh link (or one that failed) sends the whole best-path table; otherwise it sends merged changes.
/// </summary>
internal sealed class PeerLink(string peer)
{
    public string Peer => peer;

    /// <summary>Prefix → new best path, or null for a withdrawal, since the last advertisement.</summary>
    public Dictionary<string, Route?> Pending { get; private set; } = new(StringComparer.Ordinal);

    public long AckedSeq { get; set; }

    public long AckedEpoch { get; set; }

    public bool NeedsFull { get; set; } = true;

    public bool Sending { get; set; }

    public string? LastError { get; set; }

    public bool HasWork => NeedsFull || Pending.Count > 0;

    public void Add(IEnumerable<KeyValuePair<string, Route?>> changes)
    {
        foreach (var (prefix, route) in changes)
        {
            Pending[prefix] = route;
        }
    }

    public Dictionary<string, Route?> TakePending()
    {
        var taken = Pending;
        Pending = new(StringComparer.Ordinal);
        return taken;
    }
}
