using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Redundancy.Orleans.Routing.State.Compact;

/// <summary>
/// The RIB: prefix → its paths, one per origin, held compactly (a prefix is its address bits, a path three numbers:
/// <see cref="RoutePrefix"/>, <see cref="RoutePath"/>). Route records are made only when routes are read as routes.
/// Prefixes given as text must be canonical (<see cref="RouteValidator"/>); another spelling of a prefix is not found.
/// </summary>
public sealed class RibTable : IEnumerable<KeyValuePair<string, IReadOnlyList<Route>>>
{
    private readonly Dictionary<RoutePrefix, PathSet> _prefixes = [];

    /// <summary>An empty RIB.</summary>
    public RibTable()
    {
    }

    /// <summary>A RIB holding these prefixes' paths (what JSON grain storage reads back; see <see cref="GetEnumerator"/>).</summary>
    public RibTable(IEnumerable<KeyValuePair<string, IReadOnlyList<Route>>> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        foreach (var route in prefixes.SelectMany(p => p.Value))
        {
            Set(route);
        }
    }

    /// <summary>Number of prefixes.</summary>
    public int Count => _prefixes.Count;

    /// <summary>Number of paths.</summary>
    public int PathCount { get; private set; }

    /// <summary>The paths to a prefix.</summary>
    /// <exception cref="KeyNotFoundException">The RIB has no path to it.</exception>
    public IReadOnlyList<Route> this[string prefix] =>
        TryGetValue(prefix, out var paths) ? paths : throw new KeyNotFoundException($"The RIB has no path to {prefix}.");

    /// <summary>True when the RIB holds a path to <paramref name="prefix"/>.</summary>
    public bool ContainsKey(string prefix) => RoutePrefix.TryParseCanonical(prefix, out var key) && _prefixes.ContainsKey(key);

    /// <summary>The paths to a prefix, if any.</summary>
    public bool TryGetValue(string prefix, [MaybeNullWhen(false)] out IReadOnlyList<Route> paths)
    {
        paths = RoutePrefix.TryParseCanonical(prefix, out var key) && _prefixes.TryGetValue(key, out var set) ? set.Routes(prefix).ToList() : null;
        return paths is not null;
    }

    /// <summary>Adds a path, or replaces the path of its origin to its prefix.</summary>
    public void Set(Route route) => Set(RoutePrefix.Parse(route.Prefix), RoutePath.From(route));

    /// <summary>Removes every path to a prefix; false when there was none.</summary>
    public bool Remove(string prefix) => RoutePrefix.TryParseCanonical(prefix, out var key) && Remove(key);

    /// <summary>The best path to a prefix, or null.</summary>
    public Route? Best(string prefix) =>
        RoutePrefix.TryParseCanonical(prefix, out var key) && _prefixes.TryGetValue(key, out var set) ? set.Best().ToRoute(prefix) : null;

    /// <summary>Every path, as route records.</summary>
    public IEnumerable<Route> Routes()
    {
        foreach (var (key, set) in _prefixes)
        {
            foreach (var route in set.Routes(key.ToString()))
            {
                yield return route;
            }
        }
    }

    /// <summary>Every prefix with its paths, as route records.</summary>
    public IEnumerator<KeyValuePair<string, IReadOnlyList<Route>>> GetEnumerator()
    {
        foreach (var (key, set) in _prefixes)
        {
            var prefix = key.ToString();
            yield return KeyValuePair.Create(prefix, (IReadOnlyList<Route>)set.Routes(prefix).ToList());
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Set(RoutePrefix key, RoutePath path)
    {
        ref var set = ref CollectionsMarshal.GetValueRefOrAddDefault(_prefixes, key, out var exists);
        if (!exists)
        {
            set = new PathSet(path);
            PathCount++;
            return;
        }

        set = set.With(path, out var added);
        PathCount += added ? 1 : 0;
    }

    internal bool Remove(RoutePrefix key)
    {
        if (!_prefixes.Remove(key, out var set))
        {
            return false;
        }

        PathCount -= set.Count;
        return true;
    }

    internal bool TryGetPaths(RoutePrefix key, out PathSet paths) => _prefixes.TryGetValue(key, out paths);

    /// <summary>The compact entries, to read (the snapshot encoder, the audit); changes go through <see cref="Set(RoutePrefix, RoutePath)"/>.</summary>
    internal IReadOnlyDictionary<RoutePrefix, PathSet> Compact => _prefixes;

    internal void EnsureCapacity(int prefixes) => _prefixes.EnsureCapacity(prefixes);

    /// <summary>
    /// Every prefix's best path as a live read-only view, chosen when read: what the audit compares with the forwarding
    /// table and peers, without building a second table of a full table's size. Read it only while the RIB does not change.
    /// </summary>
    internal IReadOnlyDictionary<RoutePrefix, RoutePath> BestView => new BestPathView(_prefixes);

    /// <summary>Every prefix's best path, compactly, as a table of its own.</summary>
    internal Dictionary<RoutePrefix, RoutePath> BestPaths() => new(BestView);

    /// <summary>Every path with its prefix, compactly (the snapshot encoder).</summary>
    internal IEnumerable<KeyValuePair<RoutePrefix, RoutePath>> Paths()
    {
        foreach (var (key, set) in _prefixes)
        {
            for (var i = 0; i < set.Count; i++)
            {
                yield return KeyValuePair.Create(key, set[i]);
            }
        }
    }
}

/// <summary>The best path of each prefix of a RIB, chosen when read (<see cref="RibTable.BestView"/>).</summary>
internal sealed class BestPathView(Dictionary<RoutePrefix, PathSet> prefixes) : IReadOnlyDictionary<RoutePrefix, RoutePath>
{
    public int Count => prefixes.Count;

    public IEnumerable<RoutePrefix> Keys => prefixes.Keys;

    public IEnumerable<RoutePath> Values => prefixes.Values.Select(p => p.Best());

    public RoutePath this[RoutePrefix key] => prefixes[key].Best();

    public bool ContainsKey(RoutePrefix key) => prefixes.ContainsKey(key);

    public bool TryGetValue(RoutePrefix key, out RoutePath value)
    {
        var found = prefixes.TryGetValue(key, out var paths);
        value = found ? paths.Best() : default;
        return found;
    }

    public IEnumerator<KeyValuePair<RoutePrefix, RoutePath>> GetEnumerator()
    {
        foreach (var (key, paths) in prefixes)
        {
            yield return KeyValuePair.Create(key, paths.Best());
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
