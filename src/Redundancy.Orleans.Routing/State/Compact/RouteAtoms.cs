using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Redundancy.Orleans.Routing.State.Compact;

/// <summary>
/// The values many routes share, each held once per process and named by a small number: next-hop addresses and
/// origins. A route in the RIB or the forwarding table holds the numbers (<see cref="RoutePath"/>), never strings.
/// The numbers are local to the process and never cross the wire (snapshots carry address bytes and origin names).
/// Append-only: a router has few next hops (its neighbours) and a handful of origins.
/// </summary>
internal static class RouteAtoms
{
    /// <summary>
    /// The origins with a fixed number, in the order of the packed schemas' origin byte (never reordered). Declared before
    /// <see cref="Origins"/>, which numbers them first: static fields start in the order they are written.
    /// </summary>
    public static readonly ImmutableArray<string> KnownOriginNames =
        [RouteOrigins.Connected, RouteOrigins.Static, RouteOrigins.Ebgp, RouteOrigins.Ospf, RouteOrigins.Isis, RouteOrigins.Rip, RouteOrigins.Ibgp];

    /// <summary>Next-hop addresses, keyed by address bits (the full-length prefix) and by canonical text.</summary>
    public static readonly AtomTable<RoutePrefix, string> NextHops = new(address => address.AddressText());

    /// <summary>
    /// Origins by name; the known ones first, in the order of the packed schema's origin byte
    /// (<see cref="RoutePacking"/>), so their number is that byte.
    /// </summary>
    public static readonly AtomTable<string, OriginAtom> Origins = new(name => new OriginAtom(name, RouteOrigins.Distance(name) ?? int.MaxValue), KnownOriginNames);

    /// <summary>Number of origins with a fixed number (the packed schema's origin byte).</summary>
    public static int KnownOrigins => KnownOriginNames.Length;

    private static readonly ConcurrentDictionary<string, int> HopsByText = new(StringComparer.Ordinal);

    /// <summary>The number of a next hop given as canonical text.</summary>
    public static int NextHop(string text)
    {
        if (HopsByText.TryGetValue(text, out var id))
        {
            return id;
        }

        id = NextHops.Intern(RoutePrefix.Parse(text + (text.Contains(':', StringComparison.Ordinal) ? "/128" : "/32")));
        HopsByText.TryAdd(text, id);
        return id;
    }

    /// <summary>Administrative distance of an origin by number (unknown origins rank last).</summary>
    public static int Distance(int origin) => Origins.Value(origin).Distance;
}

/// <summary>An origin's name and administrative distance (<see cref="int.MaxValue"/> when unknown).</summary>
internal readonly record struct OriginAtom(string Name, int Distance);

/// <summary>
/// Interns values: each distinct key gets a number once, and the number gives back its value. Lookups take no lock;
/// adding does.
/// </summary>
internal sealed class AtomTable<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, int> _ids = new();
    private readonly Func<TKey, TValue> _value;
    private readonly Lock _lock = new();
    private volatile (TKey Key, TValue Value)[] _atoms = new (TKey, TValue)[16];
    private volatile int _count;

    public AtomTable(Func<TKey, TValue> value, IEnumerable<TKey>? first = null)
    {
        _value = value;
        foreach (var key in first ?? [])
        {
            Intern(key);
        }
    }

    /// <summary>Numbers given out so far.</summary>
    public int Count => _count;

    /// <summary>The number of <paramref name="key"/>, given out now if it has none.</summary>
    public int Intern(TKey key)
    {
        if (_ids.TryGetValue(key, out var id))
        {
            return id;
        }

        lock (_lock)
        {
            if (_ids.TryGetValue(key, out id))
            {
                return id;
            }

            id = _count;
            var atoms = _atoms;
            if (id == atoms.Length)
            {
                var grown = new (TKey, TValue)[atoms.Length * 2];
                atoms.CopyTo(grown, 0);
                _atoms = atoms = grown;
            }

            atoms[id] = (key, _value(key));
            _count = id + 1;
            _ids[key] = id;
            return id;
        }
    }

    /// <summary>The value of a number given out.</summary>
    public TValue Value(int id) => _atoms[id].Value;

    /// <summary>The key of a number given out.</summary>
    public TKey Key(int id) => _atoms[id].Key;
}
