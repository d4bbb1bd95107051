namespace Redundancy.Orleans.Routing.State.Compact;

/// <summary>
/// One path to a prefix in 12 bytes: the numbers of its next hop and origin (<see cref="RouteAtoms"/>) and its metric.
/// Equal paths are equal numbers, so comparing a RIB with a forwarding table compares integers.
/// </summary>
internal readonly record struct RoutePath(int NextHop, int Metric, int Origin)
{
    /// <summary>The compact form of a route (its prefix is the key it is stored under).</summary>
    public static RoutePath From(Route route) =>
        new(RouteAtoms.NextHop(route.NextHop), route.Metric, RouteAtoms.Origins.Intern(route.Origin));

    /// <summary>A route as the key it is stored under and its compact path.</summary>
    public static KeyValuePair<RoutePrefix, RoutePath> Keyed(Route route) => KeyValuePair.Create(RoutePrefix.Parse(route.Prefix), From(route));

    /// <summary>The route record of this path to <paramref name="prefix"/>; next hop and origin strings are shared.</summary>
    public Route ToRoute(string prefix) =>
        new() { Prefix = prefix, NextHop = RouteAtoms.NextHops.Value(NextHop), Metric = Metric, Origin = OriginName };

    /// <summary>The origin's name.</summary>
    public string OriginName => RouteAtoms.Origins.Value(Origin).Name;

    /// <summary>Best-path order: lowest administrative distance, then metric, then next hop (ordinal text).</summary>
    public static int Compare(RoutePath a, RoutePath b)
    {
        var c = RouteAtoms.Distance(a.Origin).CompareTo(RouteAtoms.Distance(b.Origin));
        c = c != 0 ? c : a.Metric.CompareTo(b.Metric);
        return c != 0 || a.NextHop == b.NextHop ? c : string.CompareOrdinal(RouteAtoms.NextHops.Value(a.NextHop), RouteAtoms.NextHops.Value(b.NextHop));
    }
}

/// <summary>
/// The paths to one prefix, one per origin: the first inline, any others in a small array that is replaced, never
/// changed, so a copy of the set never changes under its reader.
/// </summary>
internal readonly struct PathSet(RoutePath first, RoutePath[]? more = null)
{
    public RoutePath First { get; } = first;

    public int Count => 1 + (more?.Length ?? 0);

    public RoutePath this[int index] => index == 0 ? First : more![index - 1];

    /// <summary>The best path (<see cref="RoutePath.Compare"/>).</summary>
    public RoutePath Best()
    {
        var best = First;
        foreach (var path in more ?? [])
        {
            if (RoutePath.Compare(path, best) < 0)
            {
                best = path;
            }
        }

        return best;
    }

    /// <summary>This set with <paramref name="path"/> replacing the path of its origin, or added.</summary>
    public PathSet With(RoutePath path, out bool added)
    {
        added = false;
        if (First.Origin == path.Origin)
        {
            return new PathSet(path, more);
        }

        var others = more ?? [];
        for (var i = 0; i < others.Length; i++)
        {
            if (others[i].Origin == path.Origin)
            {
                var replaced = (RoutePath[])others.Clone();
                replaced[i] = path;
                return new PathSet(First, replaced);
            }
        }

        added = true;
        return new PathSet(First, [.. others, path]);
    }

    /// <summary>Every path.</summary>
    public IEnumerable<RoutePath> Paths()
    {
        yield return First;
        foreach (var path in more ?? [])
        {
            yield return path;
        }
    }

    /// <summary>Every path as a route record to <paramref name="prefix"/>.</summary>
    public IEnumerable<Route> Routes(string prefix) => Paths().Select(p => p.ToRoute(prefix));
}
