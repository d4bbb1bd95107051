namespace Redundancy.Orleans.Routing.Audit;

/// <summary>Differences between the best paths a process expects and what an associated process holds.</summary>
internal sealed record RouteDiff(
    IReadOnlyList<Route> Missing,
    IReadOnlyList<string> Stale,
    IReadOnlyList<Route> Wrong)
{
    public int Count => Missing.Count + Stale.Count + Wrong.Count;

    /// <summary>Compares expected (authoritative) entries with actual ones.</summary>
    public static RouteDiff Compare(IReadOnlyDictionary<string, Route> expected, IReadOnlyDictionary<string, Route> actual)
    {
        var missing = new List<Route>();
        var wrong = new List<Route>();
        foreach (var (prefix, route) in expected)
        {
            if (!actual.TryGetValue(prefix, out var have))
            {
                missing.Add(route);
            }
            else if (have != route)
            {
                wrong.Add(route);
            }
        }

        var stale = actual.Keys.Where(p => !expected.ContainsKey(p)).ToList();
        return new RouteDiff(missing, stale, wrong);
    }

    /// <summary>The changes that make the actual side equal to the expected side.</summary>
    public IEnumerable<KeyValuePair<string, Route?>> Repairs() =>
        Missing.Concat(Wrong).Select(r => KeyValuePair.Create(r.Prefix, (Route?)r))
            .Concat(Stale.Select(p => KeyValuePair.Create(p, (Route?)null)));
}
