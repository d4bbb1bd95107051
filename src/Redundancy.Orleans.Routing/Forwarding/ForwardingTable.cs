namespace Redundancy.Orleans.Routing.Forwarding;

/// <summary>
/// The card's forwarding table: the "hardware" that routing processes program. It belongs to the card,
/// not to a process activation, so it outlives a process crash and forwarding goes on (M10).
/// Each process owns its entries and the state they reflect: the data ballot and seq it last programmed them at.
/// </summary>
public sealed class ForwardingTable
{
    private readonly Dictionary<string, OwnerTable> _owners = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Sets (route) or removes (null) entries of <paramref name="owner"/> and records the state they reflect.</summary>
    public void Program(string owner, long ballot, long seq, IEnumerable<KeyValuePair<string, Route?>> changes)
    {
        lock (_lock)
        {
            var table = Owner(owner);
            foreach (var (prefix, route) in changes)
            {
                if (route is null)
                {
                    table.Entries.Remove(prefix);
                }
                else
                {
                    table.Entries[prefix] = route;
                }
            }

            if (ballot > table.Ballot || ballot == table.Ballot && seq > table.Seq)
            {
                (table.Ballot, table.Seq) = (ballot, seq);
            }
        }
    }

    /// <summary>A copy of an owner's entries and the state they reflect.</summary>
    public (long Ballot, long Seq, Dictionary<string, Route> Entries) Snapshot(string owner)
    {
        lock (_lock)
        {
            return _owners.TryGetValue(owner, out var t)
                ? (t.Ballot, t.Seq, new Dictionary<string, Route>(t.Entries, StringComparer.Ordinal))
                : (0, 0, new Dictionary<string, Route>(StringComparer.Ordinal));
        }
    }

    /// <summary>Total entries on the card.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _owners.Values.Sum(t => t.Entries.Count);
            }
        }
    }

    private OwnerTable Owner(string owner)
    {
        if (!_owners.TryGetValue(owner, out var t))
        {
            _owners[owner] = t = new OwnerTable();
        }

        return t;
    }

    private sealed class OwnerTable
    {
        public readonly Dictionary<string, Route> Entries = new(StringComparer.Ordinal);
        public long Ballot;
        public long Seq;
    }
}
