using Redundancy.Orleans.Cli;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.MultiProcess;
using Xunit;

namespace Redundancy.Orleans.Tests.BadInput;

/// <summary>
/// The CLI against a running chassis: every refused command gets its exit code and a message that says what
/// was wrong, and leaves the chassis as it was — refusals of the chassis, and command lines the CLI refuses
/// itself before sending anything (a destructive verb without --yes among them). More command lines that need
/// no chassis are in Upgrade/CliTests.
/// </summary>
[Collection(EmbeddedChassisCollection.Name)]
[Trait("Category", TestCategories.Cluster)]
public sealed class CliBadInputTests(EmbeddedChassisFixture fixture)
{
    public static TheoryData<string[], int, string> Cases => new()
    {
        { ["routes", "nope"], ExitCodes.NotFound, "Unknown process 'nope'" },
        { ["process", "nope"], ExitCodes.NotFound, "Unknown process 'nope'" },
        { ["release", "nope"], ExitCodes.NotFound, "Unknown process 'nope'" },
        { ["release", "bgp-1"], ExitCodes.Conflict, "not quarantined" },
        { ["fault", "crash", "nope", "--yes"], ExitCodes.NotFound, "Unknown process 'nope'" },
        { ["fault", "kill", "nope", "--yes"], ExitCodes.NotFound, "Unknown card 'nope'" },
        { ["fault", "kill", "control", "--yes"], ExitCodes.Usage, "'control' is the control silo" },
        { ["update", "bgp-1", "--announce", "10.0.0.1/24,192.0.2.1"], ExitCodes.Usage, "use '10.0.0.0/24'" },
        { ["drain", "99", "--to", "spare-1"], ExitCodes.Usage, "Slot 99 does not exist" },
        { ["switchover", "1", "--to", "nope"], ExitCodes.NotFound, "Unknown card 'nope'" },
        { ["upgrade", "plan", "--to", "9.9.9"], ExitCodes.Usage, "Unknown version '9.9.9'" },
        { ["upgrade", "start", "--to", "9.9.9"], ExitCodes.Usage, "Unknown version '9.9.9'" },
        { ["upgrade", "start", "--to", "1.0.0"], ExitCodes.Usage, "Every card already runs 1.0.0" },
        { ["upgrade", "resume"], ExitCodes.NotFound, "No upgrade campaign was ever started" },
        { ["upgrade", "commit"], ExitCodes.NotFound, "No upgrade campaign was ever started" },
        { ["upgrade", "rollback", "--yes"], ExitCodes.NotFound, "No upgrade campaign was ever started" },
        { ["upgrade", "status"], ExitCodes.NotFound, "No upgrade campaign was ever started" },
        { ["release", "bgp-1", "--rebuild", "--yes"], ExitCodes.Conflict, "not quarantined or unavailable; nothing to release" },
        { ["release", "nope", "--rebuild", "--yes"], ExitCodes.NotFound, "Unknown process 'nope'" },
        { ["fault", "partition", "nope", "--from", "card-1", "--yes"], ExitCodes.NotFound, "Unknown card 'nope'" },
        { ["fault", "partition", "card-1", "--from", "nope", "--yes"], ExitCodes.NotFound, "Unknown card 'nope'" },
        { ["fault", "partition", "card-1", "--from", "card-1", "--yes"], ExitCodes.Usage, "cannot be partitioned from itself ('card-1')" },
        { ["fault", "partition", "control", "--from", "card-1", "--yes"], ExitCodes.Usage, "'control' is the control silo" },
        { ["fault", "heal", "nope", "--from", "card-1"], ExitCodes.NotFound, "Unknown card 'nope'" },
        { ["fault", "slow", "nope", "--ms", "100"], ExitCodes.NotFound, "Unknown card 'nope'" },
        { ["fault", "crash-point", "nope", "--at", "after-apply", "--yes"], ExitCodes.NotFound, "Unknown process 'nope'" },
        { ["audits", "nope"], ExitCodes.NotFound, "Process 'nope' is not in the process table" },

        // Refused by the CLI itself: nothing is sent.
        { ["fault", "crash", "bgp-1", "--poison"], ExitCodes.Usage, "add --yes to confirm" },
        { ["fault", "kill", "card-1"], ExitCodes.Usage, "add --yes to confirm" },
        { ["fault", "hang", "card-1"], ExitCodes.Usage, "add --yes to confirm" },
        { ["fault", "declare-dead", "card-1"], ExitCodes.Usage, "add --yes to confirm" },
        { ["cards", "stop", "spare-1"], ExitCodes.Usage, "add --yes to confirm" },
        { ["fault", "kill", "card-1", "--poison", "--yes"], ExitCodes.Usage, "Unknown option '--poison' for 'redundancy fault kill'" },
        { ["fault", "crash", "--yes"], ExitCodes.Usage, "Required argument 'process' missing" },
        { ["switchover", "0", "--yes"], ExitCodes.Usage, "Slot '0' is not a slot number" },
        { ["update", "bgp-1", "--announce", "10.9.0.0/16,192.0.2.1,ten"], ExitCodes.Usage, "must be PREFIX,NEXTHOP[,METRIC[,ORIGIN]]" },
        { ["fault", "partition", "card-1", "--from", "card-2"], ExitCodes.Usage, "add --yes to confirm" },
        { ["fault", "crash-point", "bgp-1", "--at", "after-apply"], ExitCodes.Usage, "add --yes to confirm" },
        { ["release", "bgp-1", "--rebuild"], ExitCodes.Usage, "add --yes to confirm" },
        { ["fault", "slow", "card-1", "--ms", "10001"], ExitCodes.Usage, "--ms '10001' must be a whole number 0..10000" },
        { ["fault", "crash-point", "bgp-1", "--at", "later", "--yes"], ExitCodes.Usage, "--at 'later' is not a crash point" },
        { ["events", "--limit", "0"], ExitCodes.Usage, "--limit '0' must be a whole number 1..10000" },
        { ["load-table", "nope", "--routes", "10"], ExitCodes.NotFound, "Unknown process 'nope'" },
        { ["load-table", "bgp-1", "--routes", "2000001"], ExitCodes.Usage, "--routes '2000001' must be a whole number 1..2000000" },
        { ["load-table", "bgp-1", "--routes", "0"], ExitCodes.Usage, "--routes '0' must be a whole number 1..2000000" },
        { ["load-table", "bgp-1", "--routes", "10", "--seed", "-3"], ExitCodes.Usage, "--seed" },
        { ["load-table", "bgp-1"], ExitCodes.Usage, "--routes" },
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
