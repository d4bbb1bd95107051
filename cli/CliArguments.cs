using System.Globalization;

namespace Redundancy.Orleans.Cli;

/// <summary>The command line: positional words and <c>--name value</c> / <c>--flag</c> options.</summary>
internal sealed class CliArguments
{
    private static readonly HashSet<string> Flags = ["json", "commit", "poison", "help"];
    private static readonly HashSet<string> Valued = ["api", "to", "fallback", "gate-timeout", "card-timeout", "reason", "start-template", "stop-template"];
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public List<string> Words { get; } = [];

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var result = new CliArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "-h")
            {
                a = "--help";
            }

            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                result.Words.Add(a);
                continue;
            }

            var name = a[2..];
            string? value = null;
            if (name.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                (name, value) = (name[..eq], name[(eq + 1)..]);
            }

            if (Flags.Contains(name) && value is null)
            {
                result._options[name] = "true";
            }
            else if (Valued.Contains(name))
            {
                value ??= i + 1 < args.Count ? args[++i] : throw new UsageException($"Option --{name} needs a value.");
                result._options[name] = value;
            }
            else
            {
                throw new UsageException($"Unknown option '{a}'.");
            }
        }

        return result;
    }

    public bool Has(string flag) => _options.ContainsKey(flag);

    public string? Get(string name) => _options.GetValueOrDefault(name);

    public string Word(int index, string what) =>
        index < Words.Count ? Words[index] : throw new UsageException($"Missing {what}.");

    public void NoMoreWords(int count)
    {
        if (Words.Count > count)
        {
            throw new UsageException($"Unexpected argument '{Words[count]}'.");
        }
    }

    public TimeSpan? Seconds(string name)
    {
        if (Get(name) is not { } text)
        {
            return null;
        }

        return double.TryParse(text.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 86_400
            ? TimeSpan.FromSeconds(s)
            : throw new UsageException($"--{name} must be a number of seconds, 0 < s <= 86400 (got '{text}').");
    }

    public Uri Api()
    {
        var text = Get("api") ?? Environment.GetEnvironmentVariable("REDUNDANCY_API") ?? "http://127.0.0.1:8080";
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"--api must be an absolute http(s) URL (got '{text}').");
    }
}

/// <summary>Bad command line: exit code 2 and the usage text.</summary>
internal sealed class UsageException(string message) : Exception(message);
