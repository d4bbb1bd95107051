using Redundancy.Orleans.Routing.State.Compact;

namespace Redundancy.Orleans.Routing.Forwarding;

/// <summary>
/// The card's forwarding table: the "hardware" that routing processes program. It belongs to the card,
/// not to a process activation, so it outlives a process crash and forwarding goes on (M10).
/// Each process owns its entries and the state they reflect: the data ballot and seq it last programmed them at.
/// Entries are held compactly (<see cref="RoutePrefix"/> → <see cref="RoutePath"/>), as in the RIB.
/// </summary>
public sealed class ForwardingTable
{
    private readonly Dictionary<string, OwnerTable> _owners = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Sets (route) or removes (null) entries of <paramref name="owner"/> and records the state they reflect.</summary>
    /// <exception cref="FormatException">A prefix is not one; nothing is programmed.</exception>
    public void Program(string owner, long ballot, long seq, IEnumerable<KeyValuePair<string, Route?>> changes) =>
        Program(owner, ballot, seq, changes.Select(c => KeyValuePair.Create(RoutePrefix.Parse(c.Key), c.Value is { } route ? RoutePath.From(route) : (RoutePath?)null)).ToList());

    /// <summary>Sets (path) or removes (null) entries of <paramref name="owner"/>, compactly.</summary>
    internal void Program(string owner, long ballot, long seq, IEnumerable<KeyValuePair<RoutePrefix, RoutePath?>> changes)
    {
        lock (_lock)
        {
            var table = Owner(owner);
            foreach (var (prefix, path) in changes)
            {
                if (path is { } set)
                {
                    table.Entries[prefix] = set;
                }
                else
                {
                    table.Entries.Remove(prefix);
                }
            }

            if (ballot > table.Ballot || ballot == table.Ballot && seq > table.Seq)
            {
                (table.Ballot, table.Seq) = (ballot, seq);
            }
        }
    }

    /// <summary>An owner's entries as routes (sorted by prefix text) and the state they reflect.</summary>
    public (long Ballot, long Seq, List<Route> Entries) Snapshot(string owner)
    {
        var (ballot, seq, entries) = Read(owner);
        return (ballot, seq, entries.Select(e => e.Value.ToRoute(e.Key.ToString())).OrderBy(r => r.Prefix, StringComparer.Ordinal).ToList());
    }

    /// <summary>A copy of an owner's entries, compactly, and the state they reflect.</summary>
    internal (long Ballot, long Seq, Dictionary<RoutePrefix, RoutePath> Entries) Read(string owner)
    {
        lock (_lock)
        {
            return _owners.TryGetValue(owner, out var t) ? (t.Ballot, t.Seq, new Dictionary<RoutePrefix, RoutePath>(t.Entries)) : (0, 0, []);
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
        public readonly Dictionary<RoutePrefix, RoutePath> Entries = [];
        public long Ballot;
        public long Seq;
    }
}
