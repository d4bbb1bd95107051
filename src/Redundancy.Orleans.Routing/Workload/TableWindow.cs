using System.Globalization;

namespace Redundancy.Orleans.Routing.Workload;

/// <summary>
/// The query of a synthetic-table load: <c>routes</c> (prefixes in the table, required), <c>seed</c> (default 1),
/// <c>from</c> (default 0) and <c>count</c> (default the rest of the table); or the reason it is wrong.
/// </summary>
internal sealed record TableWindow(int Prefixes, int Seed, int From, int Count, string? Error = null)
{
    public static TableWindow Parse(string? routes, string? seed, string? from, string? count)
    {
        if (routes is null)
        {
            return Refused($"Say how many prefixes the table has: ?routes=1..{SyntheticTable.MaxPrefixes} (a full table is {SyntheticTable.FullTable}).");
        }

        if (!int.TryParse(routes, NumberStyles.None, CultureInfo.InvariantCulture, out var prefixes) || SyntheticTable.Refusal(prefixes) is { })
        {
            return Refused($"Query 'routes' must be a whole number 1..{SyntheticTable.MaxPrefixes} (got '{routes}').");
        }

        if (!int.TryParse(seed ?? "1", NumberStyles.None, CultureInfo.InvariantCulture, out var s))
        {
            return Refused($"Query 'seed' must be a whole number 0..{int.MaxValue} (got '{seed}').");
        }

        if (!int.TryParse(from ?? "0", NumberStyles.None, CultureInfo.InvariantCulture, out var first) || first >= prefixes)
        {
            return Refused($"Query 'from' must be a whole number 0..{prefixes - 1}, a prefix of the table (got '{from}').");
        }

        if (!int.TryParse(count ?? (prefixes - first).ToString(CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || n < 1 || (long)first + n > prefixes)
        {
            return Refused($"Query 'count' must be a whole number 1..{prefixes - first}, the prefixes left in the table after 'from' (got '{count}').");
        }

        return new TableWindow(prefixes, s, first, n);
    }

    private static TableWindow Refused(string error) => new(0, 0, 0, 0, error);
}
