namespace Redundancy.Orleans.Cli;

/// <summary>Where the CLI writes and whether it may ask or draw: the real console, or writers in tests.</summary>
internal sealed class CliConsole
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Where a confirmation is read from; null when there is no one to ask (input or error redirected).</summary>
    public TextReader? Input { get; init; }

    /// <summary>Standard output is a terminal: progress spinners and live tables (Spectre.Console); otherwise plain lines.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Reads an environment variable (REDUNDANCY_API, REDUNDANCY_API_TOKEN).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public static CliConsole FromSystem() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        Input = Console.IsInputRedirected || Console.IsErrorRedirected ? null : Console.In,
        IsTerminal = !Console.IsOutputRedirected,
    };

    /// <summary>Plain output, nobody to ask (scripts, tests).</summary>
    public static CliConsole Plain(TextWriter output, TextWriter error) => new() { Out = output, Error = error };
}
