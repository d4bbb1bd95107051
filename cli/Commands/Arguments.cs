using System.CommandLine;
using System.Globalization;

namespace Redundancy.Orleans.Cli.Commands;

/// <summary>Arguments and options several commands take.</summary>
internal static class Arguments
{
    /// <summary>The largest page the history reads answer (<c>ChassisHistory.MaxLimit</c>; a test keeps them equal).</summary>
    public const int MaxLimit = 10_000;

    public static Argument<string> Process() => new("process") { Description = "Process name, for example bgp-1 (see 'redundancy status')" };

    public static Argument<string> Card() => new("card") { Description = "Card id, for example card-2 (see 'redundancy cards')" };

    public static Argument<int> Slot() => new("slot")
    {
        Description = "Slot number (1..Chassis:Slots)",
        CustomParser = r =>
        {
            var text = r.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1)
            {
                return n;
            }

            r.AddError($"Slot '{text}' is not a slot number (1 or more).");
            return 0;
        },
    };

    /// <summary><c>--after ID</c> of a history read: only entries after this id.</summary>
    public static Option<long> After(string what) => new("--after")
    {
        Description = $"Only {what} after this id",
        HelpName = "id",
        CustomParser = r => GlobalOptions.ParseWhole(r, "--after", 0, long.MaxValue),
    };

    /// <summary><c>--limit N</c> of a history read: at most N entries (the API's page, 1000 when not given).</summary>
    public static Option<int?> Limit(string what) => new("--limit")
    {
        Description = $"At most this many {what}, 1..{MaxLimit} [default: 1000]",
        HelpName = "n",
        CustomParser = r => (int)GlobalOptions.ParseWhole(r, "--limit", 1, MaxLimit),
    };

    /// <summary>The query of a history read: <c>?after=N[&amp;limit=M]</c>.</summary>
    public static string Page(long after, int? limit) =>
        "?after=" + after.ToString(CultureInfo.InvariantCulture) + (limit is { } n ? "&limit=" + n.ToString(CultureInfo.InvariantCulture) : "");

    /// <summary>The path segment of a name, escaped.</summary>
    public static string Escape(string value) => Uri.EscapeDataString(value);
}
