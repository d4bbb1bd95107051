using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Redundancy.Orleans.Monitoring.Hosting;

/// <summary>
/// Configuration for the chassis's executables (the silo, the dashboard): a section is bound refusing unknown
/// keys (a typo must not silently fall back to a default), and what binding and start-up throw becomes one line
/// naming the key and the value, so that a misconfigured process says exactly what to fix and exits with code 2.
/// </summary>
public static partial class StrictConfiguration
{
    /// <summary>Binds <paramref name="section"/>; an unknown key is an <see cref="ArgumentException"/> listing the known ones.</summary>
    public static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        try
        {
            return configuration.GetSection(section).Get<T>(o => o.ErrorOnUnknownConfiguration = true) ?? new T();
        }
        catch (InvalidOperationException e) when (UnknownKeys().Match(e.Message) is { Success: true } m)
        {
            throw new ArgumentException($"{section}: unknown key(s) {m.Groups["keys"].Value}; known keys: {string.Join(", ", KnownKeys<T>())}.", e);
        }
    }

    /// <summary>The keys a section bound to <typeparamref name="T"/> reads.</summary>
    private static IEnumerable<string> KnownKeys<T>() =>
        typeof(T).GetProperties().Where(p => p.CanWrite).Select(p => p.Name);

    /// <summary>The message for a configuration error, or null when <paramref name="e"/> is not one.</summary>
    public static string? Describe(Exception e, IConfiguration configuration)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case OptionsValidationException or ArgumentException:
                    return x.Message;
                case InvalidOperationException when BadValue().Match(x.Message) is { Success: true } m:
                    var key = m.Groups["key"].Value;
                    return $"{key} has the value '{configuration[key]}', which is not a valid {m.Groups["type"].Value.Replace("System.", "", StringComparison.Ordinal)}.";
            }
        }

        return null;
    }

    [GeneratedRegex("following properties were not found on the instance of [^:]+: (?<keys>.+)$")]
    private static partial Regex UnknownKeys();

    [GeneratedRegex("configuration value (?:'.*' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex BadValue();
}
