using System.CommandLine;
using System.Globalization;

namespace Redundancy.Orleans.Cli.Commands;

/// <summary>Arguments several commands take.</summary>
internal static class Arguments
{
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

    /// <summary>The path segment of a name, escaped.</summary>
    public static string Escape(string value) => Uri.EscapeDataString(value);
}
