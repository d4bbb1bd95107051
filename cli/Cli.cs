using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Redundancy.Orleans.Cli.Commands;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Client.Upgrade;

namespace Redundancy.Orleans.Cli;

/// <summary>
/// The <c>redundancy</c> command: one verb per management API function, named like the API. A bad command line
/// is refused before anything is sent (exit 2); every refusal of the chassis maps to a documented exit code.
/// </summary>
internal static class Cli
{
    /// <summary>Runs with plain output and nobody to ask (scripts, tests).</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken ct) =>
        RunAsync(args, CliConsole.Plain(output, error), ct);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken ct)
    {
        var root = Build(console);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            return CliErrors.ParseFailed(parse, root, console);
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null, // Program handles Ctrl+C: the token ends watches and waits cleanly
            }, ct);
        }
        catch (Exception e)
        {
            var (code, message) = Map(e, ct);
            console.Error.WriteLine(message);
            if (e is UsageException)
            {
                console.Error.WriteLine($"Run '{CliHelp.PathOf(parse.CommandResult)} --help' for usage and examples.");
            }

            return code;
        }
    }

    /// <summary>The command tree (built per run: the actions are bound to the console).</summary>
    internal static RootCommand Build(CliConsole console)
    {
        var verbs = new Verbs(console);
        var root = new RootCommand("Operate a Redundancy.Orleans chassis through its management API.")
        {
            GlobalOptions.Api,
            GlobalOptions.Token,
            GlobalOptions.Json,
            GlobalOptions.Yes,
        };
        foreach (var command in ReadCommands.Create(verbs))
        {
            root.Add(command);
        }

        root.Add(EventsCommand.Create(verbs));
        foreach (var command in ProcessCommands.Create(verbs))
        {
            root.Add(command);
        }

        root.Add(FaultCommands.Create(verbs));
        root.Add(CardCommands.Create(verbs));
        root.Add(SwitchoverCommand.Create(verbs));
        root.Add(UpgradeCommands.Create(verbs));
        root.Add(CompletionCommand.Create(verbs));
        verbs.Examples[root] =
        [
            "redundancy status",
            "redundancy fault crash bgp-1 --yes",
            "redundancy events --follow",
            "REDUNDANCY_API=http://10.0.0.11:8080 REDUNDANCY_API_TOKEN=... redundancy status",
        ];
        CliHelp.Configure(root, verbs.Examples);
        return root;
    }

    /// <summary>Every failure to an exit code and one message.</summary>
    private static (int Code, string Message) Map(Exception e, CancellationToken ct) => e switch
    {
        UsageException u => (ExitCodes.Usage, $"error: {u.Message}"),
        NotConfirmedException n => (ExitCodes.Failed, n.Message),
        UpgradeException u => (u.Kind switch
        {
            UpgradeErrorKind.InvalidInput => ExitCodes.Usage,
            UpgradeErrorKind.CampaignBusy => ExitCodes.Conflict,
            UpgradeErrorKind.NoCampaign => ExitCodes.NotFound,
            _ => ExitCodes.Failed,
        }, $"error: {u.Message}"),
        ChassisApiException a => (a.Status switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.RequestEntityTooLarge => ExitCodes.Usage,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Unauthorized,
            HttpStatusCode.NotFound => ExitCodes.NotFound,
            HttpStatusCode.Conflict => ExitCodes.Conflict,
            HttpStatusCode.ServiceUnavailable => ExitCodes.Unreachable,
            _ => ExitCodes.Failed,
        }, $"error: {(a.Detail.Length > 0 ? a.Detail : a.Message)}{(a.Status == HttpStatusCode.Unauthorized ? $" (give it with {GlobalOptions.TokenVariable} or --token)" : "")}"),
        HttpRequestException h when h.InnerException is SocketException or null || h.HttpRequestError == HttpRequestError.ConnectionError =>
            (ExitCodes.Unreachable, $"error: the chassis is unreachable: {h.Message}"),
        HttpRequestException h => (ExitCodes.Unreachable, $"error: the chassis did not answer properly: {h.Message}"),
        TaskCanceledException when !ct.IsCancellationRequested => (ExitCodes.Unreachable, "error: the chassis did not answer in time."),
        OperationCanceledException when ct.IsCancellationRequested =>
            (ExitCodes.Failed, "interrupted: a running campaign stays where it is; 'redundancy upgrade resume' goes on with it"),
        TimeoutException t => (ExitCodes.Failed, $"error: {t.Message}"),
        JsonException j => (ExitCodes.Failed, $"error: the chassis answered a document this CLI does not understand: {j.Message}"),
        _ => (ExitCodes.Failed, $"error: {e.GetType().Name}: {e.Message}"),
    };
}
