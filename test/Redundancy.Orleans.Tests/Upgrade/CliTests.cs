using Redundancy.Orleans.Cli;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Upgrade;

/// <summary>
/// The CLI's refusals that need no chassis: each bad command line gets a clear message, a pointer to that
/// command's help and exit code 2 before anything is sent (the API address is a closed port: a request would
/// give exit 3, not 2).
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class CliTests
{
    private static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.Cli.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("Unknown command 'bogus' for 'redundancy'", "bogus")]
    [InlineData("Unknown command 'stauts' for 'redundancy'. Did you mean 'status'?", "stauts")]
    [InlineData("Unknown option '--frobnicate' for 'redundancy status'", "status", "--frobnicate")]
    [InlineData("Unknown option '--poison' for 'redundancy status'", "status", "--poison", "--to", "x")]
    [InlineData("Unknown option '--commit' for 'redundancy upgrade plan'", "upgrade", "plan", "--to", "2.0.0", "--commit")]
    [InlineData("Option '--to' is required", "upgrade", "plan")]
    [InlineData("Unknown command 'launch' for 'redundancy upgrade'", "upgrade", "launch")]
    [InlineData("--fallback must be a number of seconds", "upgrade", "start", "--to", "2.0.0", "--fallback", "soon")]
    [InlineData("--fallback must be a number of seconds", "upgrade", "start", "--to", "2.0.0", "--fallback", "-5")]
    [InlineData("Required argument missing for option: '--to'", "upgrade", "start", "--to")]
    [InlineData("--api must be an absolute http(s) URL", "--api", "ftp://x", "status")]
    [InlineData("Slot 'two' is not a slot number", "switchover", "two")]
    [InlineData("Slot 'two' is not a slot number", "drain", "two")]
    [InlineData("Required argument 'process' missing for command: 'routes'", "routes")]
    [InlineData("Unknown command 'melt' for 'redundancy fault'. Its commands: crash, kill", "fault", "melt", "card-1")]
    [InlineData("'redundancy fault' needs a command: crash, kill, hang, resume, declare-dead", "fault")]
    [InlineData("Unexpected argument 'extra' for 'redundancy status'", "status", "extra")]
    [InlineData("Unexpected argument 'b' for 'redundancy routes'", "routes", "a", "b")]
    [InlineData("--after '-1' must be a whole number of 0 or more", "events", "--after", "-1")]
    [InlineData("--announce '10.0.0.0/24' must be PREFIX,NEXTHOP[,METRIC[,ORIGIN]]", "update", "bgp-1", "--announce", "10.0.0.0/24")]
    [InlineData("Say what to change", "update", "bgp-1")]
    [InlineData("Option '--version' is required", "cards", "start", "spare-1")]
    [InlineData("Argument 'fish' not recognized", "completion", "fish")]
    [InlineData("Give both --start-template and --stop-template", "upgrade", "resume", "--start-template", "docker start {card}")]
    [InlineData("Crash bgp-1: this is destructive; add --yes to confirm", "fault", "crash", "bgp-1")]
    [InlineData("SIGKILL card card-2: this is destructive; add --yes", "fault", "kill", "card-2")]
    [InlineData("SIGSTOP card card-2: this is destructive; add --yes", "fault", "hang", "card-2")]
    [InlineData("Declare dead card card-2: this is destructive; add --yes", "fault", "declare-dead", "card-2")]
    [InlineData("Stop card spare-1: this is destructive; add --yes", "cards", "stop", "spare-1")]
    [InlineData("Roll the upgrade campaign back to its original version: this is destructive; add --yes", "upgrade", "rollback")]

    // The verbs of the replication protocol's operations: partition, heal, slow, crash-point, release --rebuild, audits, limits.
    [InlineData("Required argument 'card' missing for command: 'partition'", "fault", "partition", "--from", "card-2", "--yes")]
    [InlineData("Option '--from' is required", "fault", "partition", "card-1", "--yes")]
    [InlineData("Required argument missing for option: '--from'", "fault", "partition", "card-1", "--yes", "--from")]
    [InlineData("Partition card card-1 from card-2: this is destructive; add --yes", "fault", "partition", "card-1", "--from", "card-2")]
    [InlineData("Unexpected argument 'card-3' for 'redundancy fault partition'", "fault", "partition", "card-1", "card-3", "--from", "card-2", "--yes")]
    [InlineData("Option '--from' is required", "fault", "heal", "card-1")]
    [InlineData("Required argument 'card' missing for command: 'heal'", "fault", "heal")]
    [InlineData("Option '--ms' is required", "fault", "slow", "card-1")]
    [InlineData("--ms 'ten' must be a whole number 0..10000", "fault", "slow", "card-1", "--ms", "ten")]
    [InlineData("--ms '10001' must be a whole number 0..10000", "fault", "slow", "card-1", "--ms", "10001")]
    [InlineData("--ms '2.5' must be a whole number 0..10000", "fault", "slow", "card-1", "--ms", "2.5")]
    [InlineData("Required argument 'card' missing for command: 'slow'", "fault", "slow", "--ms", "5")]
    [InlineData("Option '--at' is required", "fault", "crash-point", "bgp-1", "--yes")]
    [InlineData("--at 'after-commit' is not a crash point: use after-apply, after-replica-ack, after-forwarding", "fault", "crash-point", "bgp-1", "--at", "after-commit", "--yes")]
    [InlineData("Required argument 'process' missing for command: 'crash-point'", "fault", "crash-point", "--at", "after-apply", "--yes")]
    [InlineData("Kill the card of bgp-1 at after-apply of its next commit: this is destructive; add --yes", "fault", "crash-point", "bgp-1", "--at", "after-apply")]
    [InlineData("Release bgp-1 and rebuild its state from its forwarding table and peers, discarding its replicas: this is destructive; add --yes", "release", "bgp-1", "--rebuild")]
    [InlineData("Unknown option '--rebuilt' for 'redundancy release'. Did you mean '--rebuild'?", "release", "bgp-1", "--rebuilt", "--yes")]
    [InlineData("--limit '0' must be a whole number 1..10000", "events", "--limit", "0")]
    [InlineData("--limit 'many' must be a whole number 1..10000", "events", "--limit", "many", "--follow")]
    [InlineData("--limit '10001' must be a whole number 1..10000", "audits", "bgp-1", "--limit", "10001")]
    [InlineData("--after 'x' must be a whole number of 0 or more", "audits", "bgp-1", "--after", "x")]
    [InlineData("Required argument 'process' missing for command: 'audits'", "audits")]
    [InlineData("Unexpected argument 'card-1' for 'redundancy metrics-targets' (it takes none)", "metrics-targets", "card-1")]
    [InlineData("Unknown option '--card' for 'redundancy metrics-targets'", "metrics-targets", "--card", "card-1")]
    public async Task BadCommandLine_ExitsWith2AndSaysWhat(string expected, params string[] args)
    {
        var (code, output, error) = await RunAsync(args.Contains("--api") ? args : ["--api", $"http://127.0.0.1:{FreePorts.One()}", .. args]);

        Assert.True(code == ExitCodes.Usage, $"redundancy {string.Join(' ', args)}: expected exit 2, got {code}: {error}{output}");
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("--help' for usage and examples.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChassisUnreachable_ExitsWith3()
    {
        var (code, _, error) = await RunAsync("--api", $"http://127.0.0.1:{FreePorts.One()}", "status");

        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.Contains("unreachable", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_EveryCommandHasItsOwnPageWithExamplesAndTheExitCodes()
    {
        var (code, output, _) = await RunAsync("--help");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("switchover <slot>", output, StringComparison.Ordinal);
        Assert.Contains("6  missing or wrong API token", output, StringComparison.Ordinal);

        var commands = Cli.Cli.Build(CliConsole.Plain(TextWriter.Null, TextWriter.Null)).Subcommands
            .SelectMany(c => c.Subcommands.Select(s => new[] { c.Name, s.Name }).Prepend([c.Name]));
        foreach (var command in commands)
        {
            var page = await RunAsync([.. command, "--help"]);
            Assert.True(page.Code == ExitCodes.Ok, $"redundancy {string.Join(' ', command)} --help: exit {page.Code}: {page.Error}");
            Assert.Contains($"redundancy {string.Join(' ', command)}", page.Out, StringComparison.Ordinal);
            Assert.Contains("Examples:", page.Out, StringComparison.Ordinal);
            Assert.Contains("Exit codes:", page.Out, StringComparison.Ordinal);
        }

        var start = await RunAsync("upgrade", "start", "--help");
        Assert.Contains("--to <version> (REQUIRED)", start.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("--poison", start.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsTheBuildsVersion()
    {
        var (code, output, _) = await RunAsync("--version");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", output);
    }

    [Fact]
    public async Task Completion_SuggestsTheCommandsAndOptionsOfTheWordBeingTyped()
    {
        var verbs = await RunAsync("[suggest:17]", "redundancy fault ");
        Assert.Equal(["crash", "crash-point", "declare-dead", "hang", "heal", "kill", "partition", "resume", "slow"], verbs.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(w => !w.StartsWith('-') && !w.StartsWith('/')));

        var options = await RunAsync("[suggest:26]", "redundancy fault crash --p");
        Assert.Equal("--poison", options.Out.Trim());

        var points = await RunAsync("[suggest:36]", "redundancy fault crash-point x --at ");
        Assert.Equal(["after-apply", "after-forwarding", "after-replica-ack"], points.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        var script = await RunAsync("completion", "bash");
        Assert.Contains("complete -o default -F _redundancy_complete redundancy", script.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_IsNeverEchoed_NotInHelpNorInErrors()
    {
        const string token = "secret-token-0123456789abcdef";
        var console = new CliConsole
        {
            Out = new StringWriter(),
            Error = new StringWriter(),
            Environment = name => name == "REDUNDANCY_API_TOKEN" ? token : null,
        };
        var help = await Cli.Cli.RunAsync(["status", "--help"], console, CancellationToken.None);
        var failed = await Cli.Cli.RunAsync(["--api", $"http://127.0.0.1:{FreePorts.One()}", "--token", token, "status"], console, CancellationToken.None);

        Assert.Equal((ExitCodes.Ok, ExitCodes.Unreachable), (help, failed));
        Assert.DoesNotContain(token, console.Out.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, console.Error.ToString(), StringComparison.Ordinal);
    }
}
