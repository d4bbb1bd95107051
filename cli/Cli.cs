using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Client.Upgrade;

namespace Redundancy.Orleans.Cli;

/// <summary>The <c>redundancy</c> command: dispatch, output and the mapping of every failure to an exit code.</summary>
internal static partial class Cli
{
    public const string Usage = """
        redundancy - operate a Redundancy.Orleans chassis through its management API

        usage: redundancy [--api URL] [--json] <command>

          status                                   cards and processes
          routes <process>                         a process's routing table
          fault crash <process> [--poison]         inject a process crash
          fault kill|hang|resume <card>            inject a card fault (embedded chassis)
          drain <slot> [--to <spare>]              planned switchover of a slot to a spare
          upgrade plan --to <version>              the steps a rolling upgrade would take
          upgrade start --to <version> [--commit] [--fallback S] [--gate-timeout S] [--card-timeout S]
                       [--start-template CMD --stop-template CMD]
          upgrade resume                           go on with a campaign that stopped
          upgrade status                           the campaign record
          upgrade commit                           commit a campaign waiting for it
          upgrade rollback [--reason TEXT]         roll back to the original version

        --api defaults to $REDUNDANCY_API or http://127.0.0.1:8080. Provisioning templates run with /bin/sh and
        take {card} and {version}; without them cards are started and stopped by the embedded chassis.
        exit codes: 0 ok, 1 failed or rolled back, 2 bad usage or input, 3 chassis unreachable,
                    4 conflict (campaign running, card busy), 5 unknown process, card or campaign
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        CliArguments cli;
        try
        {
            cli = CliArguments.Parse(args);
            if (cli.Has("help") || cli.Words.Count == 0)
            {
                output.WriteLine(Usage);
                return cli.Has("help") ? ExitCodes.Ok : ExitCodes.Usage;
            }

            using var client = new ChassisClient(cli.Api());
            var context = new CommandContext(cli, client, output, error);
            return await DispatchAsync(context, ct);
        }
        catch (UsageException e)
        {
            error.WriteLine("error: " + e.Message);
            error.WriteLine("run 'redundancy --help' for usage");
            return ExitCodes.Usage;
        }
        catch (UpgradeException e)
        {
            error.WriteLine("error: " + e.Message);
            return e.Kind switch
            {
                UpgradeErrorKind.InvalidInput => ExitCodes.Usage,
                UpgradeErrorKind.CampaignBusy => ExitCodes.Conflict,
                UpgradeErrorKind.NoCampaign => ExitCodes.NotFound,
                _ => ExitCodes.Failed,
            };
        }
        catch (ChassisApiException e)
        {
            error.WriteLine("error: " + e.Detail);
            return e.Status switch
            {
                HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType => ExitCodes.Usage,
                HttpStatusCode.NotFound => ExitCodes.NotFound,
                HttpStatusCode.Conflict => ExitCodes.Conflict,
                HttpStatusCode.ServiceUnavailable => ExitCodes.Unreachable,
                _ => ExitCodes.Failed,
            };
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException or null || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            error.WriteLine($"error: the chassis is unreachable: {e.Message}");
            return ExitCodes.Unreachable;
        }
        catch (TimeoutException e)
        {
            error.WriteLine("error: " + e.Message);
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error.WriteLine("interrupted: a running campaign stays where it is; 'redundancy upgrade resume' goes on with it");
            return ExitCodes.Failed;
        }
    }

    private static Task<int> DispatchAsync(CommandContext c, CancellationToken ct) => c.Args.Words[0] switch
    {
        "status" => StatusAsync(c, ct),
        "routes" => RoutesAsync(c, ct),
        "fault" => FaultAsync(c, ct),
        "drain" => DrainAsync(c, ct),
        "upgrade" => UpgradeAsync(c, ct),
        var other => throw new UsageException($"Unknown command '{other}'."),
    };

    /// <summary>What a command needs: its arguments, the client and where to write.</summary>
    internal sealed record CommandContext(CliArguments Args, ChassisClient Client, TextWriter Out, TextWriter Error)
    {
        public bool Json => Args.Has("json");

        public void WriteJson(object value) => Out.WriteLine(JsonSerializer.Serialize(value, value.GetType(), Indented));

        public void Progress(string line)
        {
            if (!Json)
            {
                Out.WriteLine($"[{DateTime.Now:HH:mm:ss.fff}] {line}");
            }
            else
            {
                Error.WriteLine($"[{DateTime.Now:HH:mm:ss.fff}] {line}");
            }
        }

        private static readonly JsonSerializerOptions Indented = new(RedundancyJson.Options) { WriteIndented = true };
    }
}
