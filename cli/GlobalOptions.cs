using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Redundancy.Orleans.Cli;

/// <summary>The options every command takes, and the value parsers that give a clear message for a bad value.</summary>
internal static class GlobalOptions
{
    public const string ApiVariable = "REDUNDANCY_API";
    public const string TokenVariable = "REDUNDANCY_API_TOKEN";
    public static readonly Uri DefaultApi = new("http://127.0.0.1:8080");

    public static Option<Uri?> Api { get; } = new("--api")
    {
        Description = $"Management API address [env: {ApiVariable}; default: {DefaultApi.ToString().TrimEnd('/')}]",
        HelpName = "url",
        Recursive = true,
        CustomParser = r => ParseApi(r.Tokens[0].Value, "--api", r),
    };

    // No default value: help would print it, and the token must never be echoed.
    public static Option<string?> Token { get; } = new("--token")
    {
        Description = $"API bearer token (Chassis:ApiToken) [env: {TokenVariable}, which keeps it out of 'ps']",
        HelpName = "token",
        Recursive = true,
    };

    public static Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the API's own JSON document instead of tables",
        Recursive = true,
    };

    public static Option<bool> Yes { get; } = new("--yes", "-y")
    {
        Description = "Confirm a destructive command without asking (required when there is no terminal to ask)",
        Recursive = true,
    };

    public static Uri? ParseApi(string text, string what, SymbolResult? result)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        var message = $"{what} must be an absolute http(s) URL, like http://127.0.0.1:8080 (got '{text}').";
        if (result is null)
        {
            throw new UsageException(message);
        }

        result.AddError(message);
        return null;
    }

    /// <summary>A number of seconds, 0 &lt; s &lt;= 86400 ("30", "30s", "0.5").</summary>
    public static Option<TimeSpan?> Seconds(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "seconds",
        CustomParser = r =>
        {
            var text = r.Tokens[0].Value;
            if (double.TryParse(text.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 86_400)
            {
                return TimeSpan.FromSeconds(s);
            }

            r.AddError($"{name} must be a number of seconds, 0 < s <= 86400 (got '{text}').");
            return null;
        },
    };

    /// <summary>A whole number in a range, with a message that names the option or argument and the value.</summary>
    public static long ParseWhole(ArgumentResult r, string what, long min, long max)
    {
        var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        r.AddError($"{what} '{text}' must be a whole number {(max == long.MaxValue ? $"of {min} or more" : $"{min}..{max}")}.");
        return min;
    }
}
