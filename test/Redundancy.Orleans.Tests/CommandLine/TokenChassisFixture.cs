using Redundancy.Orleans.Cli;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.CommandLine;

/// <summary>
/// One embedded chassis for the CLI's tests, its API off loopback with a token as compose runs it (reads need the
/// token too): 2 line cards and a spare, a small workload, and a restart limit of 2 so that a quarantine is quick.
/// </summary>
public sealed class TokenChassisFixture : IAsyncLifetime
{
    public const string Token = "cli-test-token-0123456789abcdef";

    public EmbeddedChassisProcess Chassis { get; private set; } = null!;

    public string Api => Chassis.Client.BaseAddress!.ToString().TrimEnd('/');

    public async Task InitializeAsync() =>
        Chassis = await EmbeddedChassisProcess.StartWithTokenAsync(slots: 2, spares: 1, Token, "--Chassis:RoutesPerProcess=50", "--Redundancy:MaxRestarts=2");

    public async Task DisposeAsync() => await Chassis.DisposeAsync();

    /// <summary>
    /// Runs the CLI in this process. The API address and the token come from the environment (REDUNDANCY_API,
    /// REDUNDANCY_API_TOKEN) as an operator would keep them; <paramref name="token"/> null runs without one.
    /// </summary>
    public async Task<CliRun> RunAsync(string? token, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole { Out = output, Error = error, Environment = Environment(token) };
        var code = await Redundancy.Orleans.Cli.Cli.RunAsync(args, console, CancellationToken.None);
        return new CliRun(args, code, output.ToString(), error.ToString());
    }

    public Func<string, string?> Environment(string? token) => name => name switch
    {
        "REDUNDANCY_API" => Api,
        "REDUNDANCY_API_TOKEN" => token,
        _ => null,
    };
}

/// <summary>One CLI run: its exit code and output, and a description for a failing assertion.</summary>
public sealed record CliRun(string[] Args, int Code, string Out, string Error)
{
    public CliRun Expect(int code, string? inError = null)
    {
        Assert.True(Code == code, $"redundancy {string.Join(' ', Args)}: expected exit {code}, got {Code}\nstdout: {Texts.Tail(Out, 2000)}\nstderr: {Error}");
        if (inError is not null)
        {
            Assert.True(Error.Contains(inError, StringComparison.Ordinal), $"redundancy {string.Join(' ', Args)}: expected \"{inError}\" on stderr, got: {Error}");
        }

        return this;
    }
}
