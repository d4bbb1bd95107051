using Redundancy.Orleans.Routing.State.Compact;

namespace Redundancy.Orleans.Routing.Audit;

/// <summary>Differences between the best paths a process expects and what an associated process holds (compact forms).</summary>
internal sealed record RouteDiff(
    IReadOnlyList<KeyValuePair<RoutePrefix, RoutePath>> Missing,
    IReadOnlyList<RoutePrefix> Stale,
    IReadOnlyList<KeyValuePair<RoutePrefix, RoutePath>> Wrong)
{
    public int Count => Missing.Count + Stale.Count + Wrong.Count;

    /// <summary>Compares expected (authoritative) entries with actual ones.</summary>
    public static RouteDiff Compare(IReadOnlyDictionary<RoutePrefix, RoutePath> expected, IReadOnlyDictionary<RoutePrefix, RoutePath> actual)
    {
        var missing = new List<KeyValuePair<RoutePrefix, RoutePath>>();
        var wrong = new List<KeyValuePair<RoutePrefix, RoutePath>>();
        foreach (var entry in expected)
        {
            if (!actual.TryGetValue(entry.Key, out var have))
            {
                missing.Add(entry);
            }
            else if (have != entry.Value)
            {
                wrong.Add(entry);
            }
        }

        var stale = actual.Keys.Where(p => !expected.ContainsKey(p)).ToList();
        return new RouteDiff(missing, stale, wrong);
    }

    /// <summary>The changes that make the actual side equal to the expected side.</summary>
    public IEnumerable<KeyValuePair<RoutePrefix, RoutePath?>> Repairs() =>
        Missing.Concat(Wrong).Select(e => KeyValuePair.Create(e.Key, (RoutePath?)e.Value))
            .Concat(Stale.Select(p => KeyValuePair.Create(p, (RoutePath?)null)));
}
