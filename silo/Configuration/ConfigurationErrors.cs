using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Redundancy.Orleans.Silo.Configuration;

/// <summary>
/// Turns what configuration binding and start-up throw into one line naming the key and the value, so that a
/// misconfigured silo says exactly what to fix and exits with code 2.
/// </summary>
internal static partial class ConfigurationErrors
{
    /// <summary>Binds the <c>Chassis</c> section, refusing unknown keys (a typo must not silently fall back to a default).</summary>
    public static ChassisOptions Bind(IConfiguration configuration) =>
        configuration.GetSection(ChassisOptions.SectionName).Get<ChassisOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new ChassisOptions();

    /// <summary>The message for a configuration error, or null when <paramref name="e"/> is not one.</summary>
    public static string? Describe(Exception e, IConfiguration configuration)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case OptionsValidationException or ArgumentException:
                    return x.Message;
                case InvalidOperationException when UnknownKeys().Match(x.Message) is { Success: true } m:
                    return $"{ChassisOptions.SectionName}: unknown key(s) {m.Groups["keys"].Value}; known keys: {string.Join(", ", KnownKeys())}.";
                case InvalidOperationException when BadValue().Match(x.Message) is { Success: true } m:
                    var key = m.Groups["key"].Value;
                    return $"{key} has the value '{configuration[key]}', which is not a valid {m.Groups["type"].Value.Replace("System.", "", StringComparison.Ordinal)}.";
            }
        }

        return null;
    }

    /// <summary>The keys of the <c>Chassis</c> section.</summary>
    public static IEnumerable<string> KnownKeys() =>
        typeof(ChassisOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name);

    [GeneratedRegex("following properties were not found on the instance of [^:]+: (?<keys>.+)$")]
    private static partial Regex UnknownKeys();

    [GeneratedRegex("configuration value (?:'.*' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex BadValue();
}
