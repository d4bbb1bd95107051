using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Redundancy.Orleans.Routing;

/// <summary>
/// Validates route input. Only canonical forms are accepted so that one prefix has one key everywhere
/// (RIB, replicas, forwarding table, peers): a non-canonical prefix gets an error that names the canonical one.
/// </summary>
public static class RouteValidator
{
    /// <summary>Largest metric accepted.</summary>
    public const int MaxMetric = 16_777_215;

    /// <summary>Default largest batch (announcements plus withdrawals).</summary>
    public const int DefaultMaxBatch = 10_000;

    /// <summary>Validates a batch; returns every problem found (empty: valid).</summary>
    public static IReadOnlyList<string> Validate(RouteUpdate? update, int maxBatch = DefaultMaxBatch)
    {
        var errors = new List<string>();
        if (update is null)
        {
            errors.Add("The batch is missing: send {\"announce\":[...],\"withdraw\":[...]}.");
            return errors;
        }

        var announce = update.Announce ?? [];
        var withdraw = update.Withdraw ?? [];
        var total = announce.Count + withdraw.Count;
        if (total == 0)
        {
            errors.Add("The batch is empty: announce or withdraw at least one route.");
        }
        else if (total > maxBatch)
        {
            errors.Add($"The batch has {total} entries; at most {maxBatch} are allowed. Split it.");
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var announced = new HashSet<(string, string)>();
        var announcedPrefixes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < announce.Count; i++)
        {
            var r = announce[i];
            var at = $"announce[{i}]";
            if (r is null)
            {
                errors.Add($"{at} is null.");
                continue;
            }

            var family = CheckPrefix(r.Prefix, at + ".prefix", errors);
            if (!TryParseAddress(r.NextHop, out var hop, out var canonicalHop))
            {
                errors.Add($"{at}.nextHop '{r.NextHop}' is not an IP address.");
            }
            else if (canonicalHop != r.NextHop)
            {
                errors.Add($"{at}.nextHop '{r.NextHop}' is not canonical: use '{canonicalHop}'.");
            }
            else if (family is { } f && hop!.AddressFamily != f)
            {
                errors.Add($"{at}.nextHop '{r.NextHop}' is {Name(hop.AddressFamily)} but prefix '{r.Prefix}' is {Name(f)}.");
            }
            else if (hop!.Equals(IPAddress.Any) || hop.Equals(IPAddress.IPv6Any))
            {
                errors.Add($"{at}.nextHop '{r.NextHop}' is the unspecified address.");
            }

            if (r.Metric is < 0 or > MaxMetric)
            {
                errors.Add($"{at}.metric {r.Metric} is out of range 0..{MaxMetric}.");
            }

            if (RouteOrigins.Distance(r.Origin ?? "") is null)
            {
                errors.Add($"{at}.origin '{r.Origin}' is unknown: use one of {string.Join(", ", RouteOrigins.All)}.");
            }

            if (family is not null && r.Origin is not null && !announced.Add((r.Prefix, r.Origin)))
            {
                errors.Add($"{at} repeats prefix '{r.Prefix}' with origin '{r.Origin}' in the same batch.");
            }

            if (family is not null)
            {
                announcedPrefixes.Add(r.Prefix);
            }
        }

        var withdrawn = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < withdraw.Count; i++)
        {
            var at = $"withdraw[{i}]";
            if (CheckPrefix(withdraw[i], at, errors) is null)
            {
                continue;
            }

            if (!withdrawn.Add(withdraw[i]))
            {
                errors.Add($"{at} repeats prefix '{withdraw[i]}'.");
            }
            else if (announcedPrefixes.Contains(withdraw[i]))
            {
                errors.Add($"{at} withdraws '{withdraw[i]}', which the same batch announces: send them in separate batches.");
            }
        }

        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with every problem when the batch is invalid.</summary>
    public static void EnsureValid(RouteUpdate? update, int maxBatch = DefaultMaxBatch)
    {
        var errors = Validate(update, maxBatch);
        if (errors.Count > 0)
        {
            throw new ArgumentException(Summarize(errors));
        }
    }

    /// <summary>Joins errors into one message (at most 10 listed).</summary>
    public static string Summarize(IReadOnlyList<string> errors) =>
        errors.Count == 1
            ? errors[0]
            : $"{errors.Count} problems; nothing was changed: " + string.Join(" ", errors.Take(10)) + (errors.Count > 10 ? $" (and {errors.Count - 10} more)" : "");

    /// <summary>Parses a canonical prefix; returns the canonical text of any valid prefix (host bits cleared) for messages.</summary>
    public static bool TryParsePrefix(string? text, out AddressFamily family, out int length, out string? error, out string? canonical)
    {
        family = AddressFamily.Unspecified;
        length = -1;
        canonical = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return false;
        }

        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            error = "has no prefix length (expected address/length, for example 10.0.0.0/24)";
            return false;
        }

        if (!TryParseAddress(text[..slash], out var address, out _))
        {
            error = "does not start with an IP address";
            return false;
        }

        family = address!.AddressFamily;
        var max = family == AddressFamily.InterNetwork ? 32 : 128;
        if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > max)
        {
            error = $"has prefix length '{text[(slash + 1)..]}' outside 0..{max}";
            length = -1;
            return false;
        }

        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        canonical = new IPAddress(bytes).ToString() + "/" + length.ToString(CultureInfo.InvariantCulture);
        if (canonical != text)
        {
            error = $"is not canonical (host bits set or non-standard notation): use '{canonical}'";
            return false;
        }

        error = null;
        return true;
    }

    private static AddressFamily? CheckPrefix(string? prefix, string at, List<string> errors)
    {
        if (TryParsePrefix(prefix, out var family, out _, out var error, out _))
        {
            return family;
        }

        errors.Add($"{at} '{prefix}' {error}.");
        return null;
    }

    private static bool TryParseAddress(string? text, out IPAddress? address, out string? canonical)
    {
        address = null;
        canonical = null;
        if (string.IsNullOrEmpty(text) || text.Contains('%') || !IPAddress.TryParse(text, out address)
            || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return false;
        }

        // IPAddress.TryParse accepts shorthand such as "10.1" or "0x0a000001": require dotted quads for IPv4.
        if (address.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3)
        {
            return false;
        }

        canonical = address.ToString();
        return true;
    }

    private static string Name(AddressFamily family) => family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
}
