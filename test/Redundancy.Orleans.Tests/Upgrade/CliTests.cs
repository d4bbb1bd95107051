using Redundancy.Orleans.Cli;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Upgrade;

/// <summary>The CLI's refusals that need no chassis: each gets a clear message and its exit code.</summary>
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
    [InlineData("Unknown command 'bogus'", "bogus")]
    [InlineData("Unknown option '--frobnicate'", "status", "--frobnicate")]
    [InlineData("--to <version>", "upgrade", "plan")]
    [InlineData("Unknown upgrade command 'launch'", "upgrade", "launch")]
    [InlineData("--fallback must be a number of seconds", "upgrade", "start", "--to", "2.0.0", "--fallback", "soon")]
    [InlineData("--fallback must be a number of seconds", "upgrade", "start", "--to", "2.0.0", "--fallback", "-5")]
    [InlineData("Option --to needs a value", "upgrade", "start", "--to")]
    [InlineData("--api must be an absolute http(s) URL", "--api", "ftp://x", "status")]
    [InlineData("Slot 'two' is not a slot number", "drain", "two")]
    [InlineData("Missing process name", "routes")]
    [InlineData("Unknown fault 'melt'", "fault", "melt", "card-1")]
    [InlineData("Unexpected argument 'extra'", "status", "extra")]
    [InlineData("Give both --start-template and --stop-template", "upgrade", "resume", "--start-template", "docker start {card}")]
    public async Task BadCommandLine_ExitsWith2AndSaysWhat(string expected, params string[] args)
    {
        var (code, _, error) = await RunAsync(["--api", $"http://127.0.0.1:{FreePorts.One()}", .. args]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChassisUnreachable_ExitsWith3()
    {
        var (code, _, error) = await RunAsync("--api", $"http://127.0.0.1:{FreePorts.One()}", "status");

        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.Contains("unreachable", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_PrintsUsageAndExitCodes()
    {
        var (code, output, _) = await RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("upgrade start --to <version>", output, StringComparison.Ordinal);
        Assert.Contains("exit codes", output, StringComparison.Ordinal);
    }
}
