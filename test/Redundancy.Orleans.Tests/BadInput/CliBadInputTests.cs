using Redundancy.Orleans.Cli;
using Redundancy.Orleans.Tests.MultiProcess;
using Xunit;

namespace Redundancy.Orleans.Tests.BadInput;

/// <summary>
/// The CLI against a running chassis: every refused command gets its exit code and a message that says what
/// was wrong, and leaves the chassis as it was. (Refusals that need no chassis are in Upgrade/CliTests.)
/// </summary>
[Collection(EmbeddedChassisCollection.Name)]
public sealed class CliBadInputTests(EmbeddedChassisFixture fixture)
{
    public static TheoryData<string[], int, string> Cases => new()
    {
        { ["routes", "nope"], ExitCodes.NotFound, "Unknown process 'nope'" },
        { ["fault", "crash", "nope"], ExitCodes.NotFound, "Unknown process 'nope'" },
        { ["fault", "kill", "nope"], ExitCodes.NotFound, "Unknown card 'nope'" },
        { ["fault", "kill", "control"], ExitCodes.Usage, "'control' is the control silo" },
        { ["drain", "99", "--to", "spare-1"], ExitCodes.Usage, "Slot 99 does not exist" },
        { ["drain", "1", "--to", "nope"], ExitCodes.NotFound, "Unknown card 'nope'" },
        { ["upgrade", "plan", "--to", "9.9.9"], ExitCodes.Usage, "Unknown version '9.9.9'" },
        { ["upgrade", "start", "--to", "9.9.9"], ExitCodes.Usage, "Unknown version '9.9.9'" },
        { ["upgrade", "start", "--to", "1.0.0"], ExitCodes.Usage, "Every card already runs 1.0.0" },
        { ["upgrade", "resume"], ExitCodes.NotFound, "No upgrade campaign was ever started" },
        { ["upgrade", "commit"], ExitCodes.NotFound, "No upgrade campaign was ever started" },
        { ["upgrade", "rollback"], ExitCodes.NotFound, "No upgrade campaign was ever started" },
        { ["upgrade", "status"], ExitCodes.NotFound, "No upgrade campaign was ever started" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Command_BadInput_ExitCodeAndMessage_ChassisUnchanged(string[] args, int expectedCode, string expected)
    {
        var before = await HttpBadInputTests.StableStateAsync(fixture.Chassis.Client);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await Cli.Cli.RunAsync(["--api", fixture.Chassis.Client.BaseAddress!.ToString(), .. args], output, error, CancellationToken.None);

        Assert.True(code == expectedCode, $"redundancy {string.Join(' ', args)}: expected exit {expectedCode}, got {code}: {error}{output}");
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await HttpBadInputTests.StateAsync(fixture.Chassis.Client));
    }
}
