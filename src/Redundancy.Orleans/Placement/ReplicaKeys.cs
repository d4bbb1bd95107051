using System.Globalization;

namespace Redundancy.Orleans.Placement;

/// <summary>Replica grain keys: <c>{process}/r{index}</c>.</summary>
internal static class ReplicaKeys
{
    /// <summary>Request-context key with which a primary names the card for a replica it re-creates.</summary>
    public const string TargetCardContextKey = "redundancy.replica-card";

    /// <summary>The key of replica <paramref name="index"/> of <paramref name="process"/>.</summary>
    public static string Format(string process, int index) => string.Create(CultureInfo.InvariantCulture, $"{process}/r{index}");

    /// <summary>Parses a replica key.</summary>
    public static bool TryParse(string key, out string process, out int index)
    {
        var slash = key.LastIndexOf("/r", StringComparison.Ordinal);
        if (slash > 0 && int.TryParse(key.AsSpan(slash + 2), NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            process = key[..slash];
            return true;
        }

        process = "";
        index = -1;
        return false;
    }
}
