using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Cli;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.BadInput;
using Redundancy.Orleans.Tests.MultiProcess;
using Xunit;

namespace Redundancy.Orleans.Tests.CommandLine;

/// <summary>
/// The CLI against a chassis whose API is off loopback with a token, as compose runs it: every verb is refused
/// without the token (exit 6, nothing changed) and works with it (given by REDUNDANCY_API_TOKEN); --json prints
/// the API's own documents. In the real-process collection: its chassis runs alone.
/// </summary>
[Collection(EmbeddedChassisCollection.Name)]
[Trait("Category", TestCategories.MultiProcess)]
public sealed class CliWithTokenTests(TokenChassisFixture fixture) : IClassFixture<TokenChassisFixture>
{
    private const string Token = TokenChassisFixture.Token;

    /// <summary>Every verb as an operator types it (destructive ones with --yes).</summary>
    public static readonly string[][] EveryVerb =
    [
        ["status"], ["status", "--watch"], ["process", "bgp-1"], ["routes", "bgp-1"], ["forwarding", "bgp-1"], ["builds"],
        ["events"], ["events", "--follow"], ["update", "bgp-1", "-a", "10.66.0.0/16,192.0.2.1"], ["load-table", "bgp-1", "--routes", "1000"], ["release", "bgp-1"],
        ["fault", "crash", "bgp-1", "--yes"], ["fault", "kill", "card-1", "--yes"], ["fault", "hang", "card-1", "--yes"],
        ["fault", "resume", "card-1"], ["fault", "declare-dead", "card-1", "--yes"],
        ["fault", "partition", "card-1", "--from", "card-2", "--yes"], ["fault", "heal", "card-1", "--from", "card-2"], ["fault", "slow", "card-1", "--ms", "0"],
        ["fault", "crash-point", "bgp-1", "--at", "after-apply", "--yes"], ["release", "bgp-1", "--rebuild", "--yes"],
        ["audits", "bgp-1"], ["metrics-targets"], ["events", "--limit", "5"],
        ["cards"], ["cards", "add"], ["cards", "stop", "spare-1", "--yes"], ["cards", "start", "spare-1", "--version", "1.0.0"],
        ["cards", "build", "card-1"], ["cards", "shadow-restore", "spare-1"], ["switchover", "1"], ["switchover", "1", "--to", "spare-1"],
        ["upgrade", "plan", "--to", "1.0.0"], ["upgrade", "start", "--to", "1.0.0"], ["upgrade", "resume"], ["upgrade", "status"],
        ["upgrade", "commit"], ["upgrade", "rollback", "--yes"],
    ];

    [Fact]
    public void EveryVerb_CoversEveryCommandOfTheCli()
    {
        var root = Redundancy.Orleans.Cli.Cli.Build(CliConsole.Plain(TextWriter.Null, TextWriter.Null));
        var commands = root.Subcommands.Where(c => c.Name != "completion")
            .SelectMany(c => c.Subcommands.Select(s => $"{c.Name} {s.Name}").Prepend(c.Action is null ? null : c.Name))
            .OfType<string>();
        var covered = EveryVerb.Select(v => string.Join(' ', v.Take(2))).Concat(EveryVerb.Select(v => v[0])).ToHashSet(StringComparer.Ordinal);

        Assert.All(commands, c => Assert.True(covered.Contains(c), $"'redundancy {c}' is missing from EveryVerb"));
    }

    [Fact]
    public async Task EveryVerb_WithoutTheToken_IsRefusedWithExit6_AndNothingChanges()
    {
        var before = await HttpBadInputTests.StableStateAsync(fixture.Chassis.Client);

        foreach (var verb in EveryVerb)
        {
            (await fixture.RunAsync(null, verb)).Expect(ExitCodes.Unauthorized, "needs the management API token");
        }

        (await fixture.RunAsync("wrong-token-0123456789abcdef", "status")).Expect(ExitCodes.Unauthorized, "does not match");
        (await fixture.RunAsync("wrong-token-0123456789abcdef", "fault", "kill", "card-1", "--yes")).Expect(ExitCodes.Unauthorized, "does not match");
        Assert.Equal(before, await HttpBadInputTests.StateAsync(fixture.Chassis.Client));
    }

    [Fact]
    public async Task ReadVerbs_WithTheToken_PrintTables_AndJsonIsTheApisOwnDocument()
    {
        await HttpBadInputTests.StableStateAsync(fixture.Chassis.Client);
        var card = (await fixture.Chassis.Client.GetChassisAsync()).Cards.First(c => c.Alive && c.Role == CardRoles.Line).CardId;
        (string[] Args, string Path, string Shown)[] reads =
        [
            (["status"], "api/chassis", "bgp-1"),
            (["process", "bgp-1"], "api/processes/bgp-1", "REPLICA"),
            (["routes", "bgp-1"], "api/processes/bgp-1/routes", "NEXT HOP"),
            (["forwarding", "bgp-1"], "api/processes/bgp-1/forwarding", "NEXT HOP"),
            (["builds"], "api/builds", "1.0.0"),
            (["events"], "api/events", "MESSAGE"),
            (["events", "--after", "1", "--limit", "2"], "api/events?after=1&limit=2", "MESSAGE"),
            (["audits", "bgp-1"], "api/processes/bgp-1/audits", "AUDIT"),
            (["metrics-targets"], "api/metrics/targets", "METRICS"),
            (["cards", "build", card], $"api/cards/{card}/build", "state schemas"),
        ];
        using var http = new HttpClient { BaseAddress = fixture.Chassis.Client.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        foreach (var (args, path, shown) in reads)
        {
            var table = (await fixture.RunAsync(Token, args)).Expect(ExitCodes.Ok);
            Assert.True(table.Out.Contains(shown, StringComparison.Ordinal), $"redundancy {string.Join(' ', args)}: expected '{shown}' in:\n{table.Out}");

            // The chassis may move between the two reads (a replica catching up): compare until both agree.
            await Eventually.WaitAsync(
                async () => (Cli: JsonNode.Parse((await fixture.RunAsync(Token, [.. args, "--json"])).Expect(ExitCodes.Ok).Out), Api: JsonNode.Parse(await http.GetStringAsync(path))),
                r => JsonNode.DeepEquals(r.Cli, r.Api),
                TimeSpan.FromSeconds(15), $"redundancy {string.Join(' ', args)} --json to print GET /{path}", r => $"CLI: {Texts.Tail(r.Cli?.ToJsonString() ?? "", 600)}\nAPI: {Texts.Tail(r.Api?.ToJsonString() ?? "", 600)}");
        }
    }

    [Fact]
    public async Task RealExecutable_TakesTheAddressAndTheTokenFromTheEnvironment()
    {
        var environment = new Dictionary<string, string> { ["REDUNDANCY_API"] = fixture.Api, ["REDUNDANCY_API_TOKEN"] = Token };

        var (code, output) = await SiloProcess.RunToExitAsync(TimeSpan.FromSeconds(60), ["status", "--json"], environment, RepoPaths.CliDll);

        Assert.True(code == ExitCodes.Ok, $"redundancy status --json: exit {code}: {output}");
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("cards").GetArrayLength() >= 4, output);
        Assert.DoesNotContain(Token, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteVerbs_WithTheToken_DoWhatTheySay()
    {
        var api = fixture.Chassis.Client;
        await HttpBadInputTests.StableStateAsync(api);
        using var stop = new CancellationTokenSource();
        var follow = Background(["events", "--follow", "--json"], stop.Token);
        var watch = Background(["status", "--watch", "--interval", "0.2"], stop.Token);

        // update, then the routes show it; --json is the acknowledgement
        var ack = JsonNode.Parse((await fixture.RunAsync(Token, "update", "bgp-2", "-a", "10.66.0.0/16,192.0.2.1,10,static", "--json")).Expect(ExitCodes.Ok).Out)!;
        Assert.True(ack["seq"]!.GetValue<long>() > 0, ack.ToJsonString());
        Assert.Contains("10.66.0.0/16", (await fixture.RunAsync(Token, "routes", "bgp-2")).Expect(ExitCodes.Ok).Out, StringComparison.Ordinal);
        var human = (await fixture.RunAsync(Token, "update", "bgp-2", "-a", "10.67.0.0/16,192.0.2.1")).Expect(ExitCodes.Ok).Out;
        Assert.Matches(@"bgp-2: acknowledged at seq \d+, epoch \d+ \(1 announced, 0 withdrawn\); (protected: held by \d+ replicas?|UNPROTECTED|unprotected until)", human);

        // load-table: a synthetic table generated on the server, loaded window by window with progress, then held
        var loaded = (await fixture.RunAsync(Token, "load-table", "bgp-2", "--routes", "150000", "--seed", "9")).Expect(ExitCodes.Ok).Out;
        Assert.Contains("bgp-2: 100000 of 150000 prefixes loaded", loaded, StringComparison.Ordinal);
        Assert.Matches(@"bgp-2: loaded the synthetic table \(seed 9\): 150000 prefixes, \d+ paths in \d+ batches", loaded);
        var paths = Redundancy.Orleans.Routing.Workload.SyntheticTable.Routes(9, 150_000).Select(r => (r.Prefix, r.Origin)).ToHashSet();
        var held = (await api.GetRoutesAsync("bgp-2")).Routes.Select(r => (r.Route.Prefix, r.Route.Origin)).ToHashSet();
        Assert.True(held.IsSupersetOf(paths), $"bgp-2 holds {held.Count} paths; {paths.Count(p => !held.Contains(p))} of the table's {paths.Count} are missing");

        // the protocol's faults: a partition between the line cards and its heal, a slow card and back to normal
        Assert.Contains("grain calls between card-1 and card-2 blocked", (await fixture.RunAsync(Token, "fault", "partition", "card-1", "--from", "card-2", "--yes")).Expect(ExitCodes.Ok).Out, StringComparison.Ordinal);
        Assert.Contains("flow again", (await fixture.RunAsync(Token, "fault", "heal", "card-1", "--from", "card-2")).Expect(ExitCodes.Ok).Out, StringComparison.Ordinal);
        Assert.Contains("delayed by 20 ms", (await fixture.RunAsync(Token, "fault", "slow", "card-2", "--ms", "20")).Expect(ExitCodes.Ok).Out, StringComparison.Ordinal);
        (await fixture.RunAsync(Token, "fault", "slow", "card-2", "--ms", "0")).Expect(ExitCodes.Ok);

        // crash: a new epoch, the routes kept
        var crashed = await api.GetProcessAsync("bgp-1");
        (await fixture.RunAsync(Token, "fault", "crash", "bgp-1", "--yes")).Expect(ExitCodes.Ok);
        await api.WaitForAsync(s => s.Processes.Single(p => p.Name == "bgp-1") is { State: ProcessState.Ready } p && p.Epoch > crashed.Epoch, ChassisChecks.FailoverTimeout, "bgp-1 ready in a new epoch after the CLI crashed it");

        // quarantine (restart limit 2) and release
        for (var i = 0; (await api.GetProcessAsync("bgp-2")).State != ProcessState.Quarantined; i++)
        {
            Assert.True(i < 6, "bgp-2 not quarantined after 6 crashes with a restart limit of 2");
            (await fixture.RunAsync(Token, "fault", "crash", "bgp-2", "--yes")).Expect(ExitCodes.Ok);
            await Eventually.WaitAsync(() => api.GetProcessAsync("bgp-2"), p => p.State is ProcessState.Ready or ProcessState.Quarantined, ChassisChecks.FailoverTimeout, "bgp-2 back or quarantined after a crash", p => p.State.ToString());
        }

        (await fixture.RunAsync(Token, "release", "bgp-2")).Expect(ExitCodes.Ok);
        await api.WaitForAsync(s => s.Processes.Single(p => p.Name == "bgp-2").State == ProcessState.Ready, ChassisChecks.FailoverTimeout, "bgp-2 ready after the CLI released it");
        Assert.Contains("10.66.0.0/16", (await fixture.RunAsync(Token, "routes", "bgp-2")).Out, StringComparison.Ordinal);

        // switchover to the spare (chosen by the CLI), then stop and start the vacated card
        var switched = (await fixture.RunAsync(Token, "switchover", "1")).Expect(ExitCodes.Ok);
        var status = await api.GetChassisAsync();
        Assert.All(status.Processes.Where(p => p.Slot == 1), p => Assert.Equal("spare-1", p.CardId));
        Assert.Contains("spare-1", switched.Out, StringComparison.Ordinal);
        (await fixture.RunAsync(Token, "cards", "stop", "card-1", "--yes")).Expect(ExitCodes.Ok);
        await api.WaitForAsync(s => s.Cards.Single(c => c.CardId == "card-1") is { Alive: false }, ChassisChecks.FailoverTimeout, "card-1 stopped");
        (await fixture.RunAsync(Token, "cards", "start", "card-1", "--version", "1.0.0")).Expect(ExitCodes.Ok);
        await api.WaitForAsync(s => s.Cards.Single(c => c.CardId == "card-1") is { Alive: true, Role: CardRoles.Spare }, ChassisChecks.FailoverTimeout, "card-1 back as a spare");
        Assert.Contains("yes", (await fixture.RunAsync(Token, "cards", "shadow-restore", "card-1", "--process", "bgp-1")).Expect(ExitCodes.Ok).Out, StringComparison.Ordinal);

        // two more spares: one killed, one hung and resumed; card-1 declared dead
        var added = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            added.Add(JsonNode.Parse((await fixture.RunAsync(Token, "cards", "add", "--json")).Expect(ExitCodes.Ok).Out)!["card"]!.GetValue<string>());
        }

        await api.WaitForAsync(s => added.All(a => s.Cards.Any(c => c.CardId == a && c.Alive)), ChassisChecks.FailoverTimeout, $"the added cards {string.Join(", ", added)} alive");
        (await fixture.RunAsync(Token, "fault", "kill", added[0], "--yes")).Expect(ExitCodes.Ok);
        (await fixture.RunAsync(Token, "fault", "hang", added[1], "--yes")).Expect(ExitCodes.Ok);
        (await fixture.RunAsync(Token, "fault", "resume", added[1])).Expect(ExitCodes.Ok);
        (await fixture.RunAsync(Token, "fault", "declare-dead", "card-1", "--yes")).Expect(ExitCodes.Ok);
        await api.WaitForAsync(s => s.Cards.Single(c => c.CardId == "card-1") is { Alive: false }, ChassisChecks.FailoverTimeout, "card-1 declared dead");

        // The upgrade verbs reach the chassis with the token (a full campaign is UpgradeTests').
        (await fixture.RunAsync(Token, "upgrade", "status")).Expect(ExitCodes.NotFound, "No upgrade campaign was ever started");
        (await fixture.RunAsync(Token, "upgrade", "start", "--to", "1.0.0")).Expect(ExitCodes.Usage, "Every card already runs 1.0.0");

        await HttpBadInputTests.StableStateAsync(api);
        await Eventually.WaitAsync(() => Task.FromResult(follow.Output), o => o.Contains("\"kind\":\"switchover\"", StringComparison.Ordinal) && o.Contains("\"kind\":\"cardJoined\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "events --follow to print the switchover and the cards that joined", o => Texts.Tail(o, 2000));
        await Eventually.WaitAsync(() => Task.FromResult(watch.Output), o => o.Split("--- ").Length > 3 && o.Contains("spare-1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "status --watch to print the status as it changed", o => Texts.Tail(o, 2000));
        await stop.CancelAsync();
        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok), (await follow.Run, await watch.Run));
        Assert.All(follow.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => JsonDocument.Parse(line));
    }

    /// <summary>A watching command (--follow, --watch) running until <paramref name="stop"/>.</summary>
    private BackgroundRun Background(string[] args, CancellationToken stop)
    {
        var output = new LockedWriter();
        var console = new CliConsole { Out = output, Error = output, Environment = fixture.Environment(Token) };
        return new BackgroundRun(Task.Run(() => Redundancy.Orleans.Cli.Cli.RunAsync(args, console, stop)), output);
    }

    private sealed record BackgroundRun(Task<int> Run, LockedWriter Writer)
    {
        public string Output => Writer.ToString();
    }

    /// <summary>A string writer that another thread may read while the command writes.</summary>
    private sealed class LockedWriter : StringWriter
    {
        private readonly Lock _lock = new();

        public override void Write(char value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_lock)
            {
                base.Write(buffer, index, count);
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return base.ToString();
            }
        }
    }
}
