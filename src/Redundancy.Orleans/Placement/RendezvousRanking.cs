using System.Text;

namespace Redundancy.Orleans.Placement;

/// <summary>
/// Highest-random-weight (rendezvous) ranking: every silo computes the same order of cards for a
/// process from the same view, and losing one card only moves the replicas that were on it.
/// </summary>
internal static class RendezvousRanking
{
    public static IReadOnlyList<T> Rank<T>(string key, IEnumerable<T> candidates, Func<T, string> id) =>
        candidates.OrderByDescending(c => Score(key, id(c))).ThenBy(id, StringComparer.Ordinal).ToList();

    internal static ulong Score(string key, string candidate)
    {
        // FNV-1a over "key|candidate", then a final avalanche so close ids spread well.
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(key + "|" + candidate))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return hash;
    }
}
