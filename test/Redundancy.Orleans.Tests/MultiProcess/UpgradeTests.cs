using System.Diagnostics;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Client.Upgrade;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>
/// Rolling upgrades (U1) of a real embedded chassis between real builds: 1.0.0 (this build: schema 2 packed routes,
/// interface version 1), 2.0.0 (<c>-p:RoutingAppVersion=2</c>: schema 3, packed with a next-hop table, interface
/// version 2) and 3.0.0 (<c>-p:RoutingAppVersion=3</c>: dropped schemas 1 and 2, so it cannot decode a 1.0.0 chassis's state).
/// </summary>
[Collection(EmbeddedChassisCollection.Name)]
[Trait("Category", TestCategories.MultiProcess)]
public sealed class UpgradeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan WriterPace = TimeSpan.FromMilliseconds(40);

    private static async Task<EmbeddedChassisProcess> StartChassisAsync(params int[] variants)
    {
        var args = new List<string> { "--Chassis:ProcessesPerSlot=2", "--Chassis:RoutesPerProcess=2000" };
        foreach (var v in variants)
        {
            args.Add($"--Chassis:Builds:{v}.0.0={await VariantBuilds.SiloDirectoryAsync(v)}");
        }

        return await EmbeddedChassisProcess.StartAsync(slots: 2, spares: 1, [.. args]);
    }

    private UpgradeOrchestrator Orchestrator(ChassisClient client, Action<string>? onProgress = null) =>
        new(client, new ChassisApiProvisioner(client)) { Progress = line => { output.WriteLine(line); onProgress?.Invoke(line); } };

    [Fact]
    public async Task RollingUpgrade_V1ToV2UnderContinuousWrites_LosesNothingEndsOnV2WithASpare()
    {
        await using var chassis = await StartChassisAsync(2);
        using var logs = new ChassisLogs(output, chassis);
        var before = await chassis.Client.GetChassisAsync();
        var initial = await ChassisChecks.RoutesAsync(chassis.Client, before.Processes.Select(p => p.Name));
        await using var writers = Writers.Start(chassis.Client, before);

        var campaign = await Orchestrator(chassis.Client).StartAsync("2.0.0", new CampaignSettings { AutoCommit = true });

        await writers.StopAsync();
        Assert.True(campaign.Phase == CampaignPhase.Committed, $"campaign ended {campaign.Phase}: {campaign.RollbackReason}");
        var after = await ChassisChecks.WaitProtectedAsync(chassis.Client, 1, "after the upgrade: every process protected");
        Assert.All(after.Cards.Where(c => c.Role != CardRoles.Control), c => Assert.Equal((true, "2.0.0", "1-3"), (c.Alive, c.Version, c.StateSchema)));
        Assert.Single(after.Cards, c => c.Role == CardRoles.Spare);
        Assert.All(after.Processes, p => Assert.Equal(ProcessState.Ready, p.State));
        await AssertNothingLostAsync(chassis.Client, initial, writers);
        Assert.True(writers.Acknowledged > 50, $"the writers should have kept writing through the upgrade; {writers.Acknowledged} acknowledged");
        var events = await chassis.Client.GetEventsAsync();
        Assert.Equal(2, events.Count(e => e.Kind == Chassis.ChassisEventKind.Switchover && e.ReadyAt is not null));
        Assert.Contains(events, e => e.Kind == Chassis.ChassisEventKind.Upgrade && e.Message!.Contains("committed", StringComparison.Ordinal));
        var schemas = await chassis.Client.ShadowRestoreAsync(after.Cards.Single(c => c.Role == CardRoles.Spare).CardId);
        Assert.All(schemas, r => Assert.Equal((true, 3), (r.Ok, r.Schema))); // every card reads 3 now: schema 3 is written
    }

    [Fact]
    public async Task Campaign_GateFailsMidway_RollsBackToV1_ThenFallbackTimerRollsBackTheNextOne_NothingLost()
    {
        await using var chassis = await StartChassisAsync(2);
        using var logs = new ChassisLogs(output, chassis);
        var before = await chassis.Client.GetChassisAsync();
        var initial = await ChassisChecks.RoutesAsync(chassis.Client, before.Processes.Select(p => p.Name));
        await using var writers = Writers.Start(chassis.Client, before);
        var crashed = false;

        // A process crashes on the upgraded card right after the first switchover: the crash-loop gate must fail.
        var first = await Orchestrator(chassis.Client, line =>
        {
            if (!crashed && line.StartsWith("slot 1 moved", StringComparison.Ordinal))
            {
                crashed = true;
                chassis.Client.CrashAsync(before.Processes.First(p => p.Slot == 1).Name).GetAwaiter().GetResult();
            }
        }).StartAsync("2.0.0", new CampaignSettings { AutoCommit = true });

        Assert.True(crashed, "the campaign never reported the first switchover");
        Assert.Equal(CampaignPhase.RolledBack, first.Phase);
        Assert.Contains("restarted", first.RollbackReason, StringComparison.Ordinal);
        await AssertAllOnAsync(chassis.Client, "1.0.0", "after the gate rollback");

        // The next campaign reaches WaitingForCommit, nobody commits, the fallback timer rolls it back.
        var second = await Orchestrator(chassis.Client).StartAsync("2.0.0", new CampaignSettings { FallbackTimeout = TimeSpan.FromSeconds(2) });

        Assert.Equal(CampaignPhase.RolledBack, second.Phase);
        Assert.Contains("fallback timer expired", second.RollbackReason, StringComparison.Ordinal);
        Assert.Contains(second.Steps, s => s.Phase == CampaignPhase.Activating);
        await writers.StopAsync();
        await AssertAllOnAsync(chassis.Client, "1.0.0", "after the fallback rollback");
        await AssertNothingLostAsync(chassis.Client, initial, writers);
    }

    [Fact]
    public async Task Orchestrator_KilledMidCampaign_ResumesAndFinishes_SecondStartRefusedMeanwhile()
    {
        await using var chassis = await StartChassisAsync(2);
        using var logs = new ChassisLogs(output, chassis);
        var before = await chassis.Client.GetChassisAsync();
        var initial = await ChassisChecks.RoutesAsync(chassis.Client, before.Processes.Select(p => p.Name));
        var api = chassis.Client.BaseAddress!.ToString().TrimEnd('/');

        using var first = Cli("--api", api, "upgrade", "start", "--to", "2.0.0", "--commit");
        var running = await Eventually.WaitAsync(
            () => Orchestrator(chassis.Client).GetAsync(),
            c => c is { Phase: CampaignPhase.Activating } && c.Steps.Any(s => s.Action.Contains("moved", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(120), "the CLI's campaign to complete its first switchover", c => $"{c?.Phase}: {string.Join(" | ", c?.Steps.Select(s => s.Action) ?? [])}");
        var busy = await RunCliAsync("--api", api, "upgrade", "start", "--to", "2.0.0");
        Assert.True(busy.Code == 4, $"a second campaign while one runs: expected exit 4, got {busy.Code}: {busy.Output}");
        Assert.Contains("resume, commit or roll it back first", busy.Output, StringComparison.Ordinal);

        first.Kill(); // SIGKILL, mid-campaign
        await first.WaitForExitAsync();
        var resumed = await RunCliAsync("--api", api, "upgrade", "resume");

        Assert.True(resumed.Code == 0, $"resume: exit {resumed.Code}: {resumed.Output}");
        var campaign = await Orchestrator(chassis.Client).GetAsync();
        Assert.Equal(CampaignPhase.Committed, campaign!.Phase);
        Assert.Equal(running!.Id, campaign.Id);
        await AssertAllOnAsync(chassis.Client, "2.0.0", "after the resumed campaign");
        await ChassisChecks.AssertExactAsync(chassis.Client, initial);
    }

    [Fact]
    public async Task Verification_BuildCannotDecodeState_RefusedBeforeAnyServingCardIsTouched()
    {
        await using var chassis = await StartChassisAsync(3);
        using var logs = new ChassisLogs(output, chassis);
        var before = await chassis.Client.GetChassisAsync();
        var initial = await ChassisChecks.RoutesAsync(chassis.Client, before.Processes.Select(p => p.Name));

        var result = await RunCliAsync("--api", chassis.Client.BaseAddress!.ToString(), "upgrade", "start", "--to", "3.0.0", "--commit");

        Assert.True(result.Code == 1, $"expected exit 1 (rolled back), got {result.Code}: {result.Output}");
        Assert.Contains("cannot decode this state", result.Output, StringComparison.Ordinal);
        var campaign = (await Orchestrator(chassis.Client).GetAsync())!;
        Assert.Equal(CampaignPhase.RolledBack, campaign.Phase);
        Assert.DoesNotContain(campaign.Steps, s => s.Phase == CampaignPhase.Activating);
        var after = await ChassisChecks.WaitProtectedAsync(chassis.Client, 1, "after the refused verification");
        foreach (var card in before.Cards.Where(c => c.Role == CardRoles.Line))
        {
            Assert.Equal((card.ProcessId, card.Slot, "1.0.0"), after.Cards.Where(c => c.CardId == card.CardId).Select(c => (c.ProcessId, c.Slot, c.Version!)).Single());
        }

        Assert.All(after.Processes, p => Assert.Equal((before.Processes.Single(o => o.Name == p.Name).CardId, before.Processes.Single(o => o.Name == p.Name).Epoch), (p.CardId, p.Epoch)));
        Assert.Equal("1.0.0", after.Cards.Single(c => c.Role == CardRoles.Spare).Version);
        await ChassisChecks.AssertExactAsync(chassis.Client, initial);
    }

    private static async Task AssertAllOnAsync(ChassisClient client, string version, string phase)
    {
        var status = await ChassisChecks.WaitProtectedAsync(client, 1, phase + ": every process protected");
        Assert.All(status.Cards.Where(c => c.Role != CardRoles.Control && c.Alive), c => Assert.Equal(version, c.Version));
        Assert.Single(status.Cards, c => c.Role == CardRoles.Spare && c.Alive);
    }

    private static async Task AssertNothingLostAsync(ChassisClient client, IReadOnlyDictionary<string, IReadOnlyList<string>> initial, Writers writers)
    {
        var problems = new List<string>();
        foreach (var (name, lines) in initial)
        {
            var routes = (await client.GetRoutesAsync(name)).Routes;
            var now = TestRoutes.Lines(routes.Select(r => r.Route)).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(lines.Where(l => !now.Contains(l)).Take(5).Select(l => $"{name}: workload route lost: {l}"));
            problems.AddRange(writers.Check(name, routes.Select(r => r.Route.Prefix).Where(p => p.StartsWith("100.", StringComparison.Ordinal))));
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(20)));
    }

    private static ProcessStartInfo CliStart(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args.Prepend(RepoPaths.CliDll))
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    /// <summary>The real CLI as its own process (to be killed), its output drained.</summary>
    private static Process Cli(params string[] args)
    {
        var process = Process.Start(CliStart(args))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int Code, string Output)> RunCliAsync(params string[] args)
    {
        using var process = Process.Start(CliStart(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>One paced acknowledged writer per process, for the whole campaign.</summary>
    private sealed class Writers : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<ChaosWriter> _writers = [];
        private readonly List<Task> _running = [];

        public int Acknowledged => _writers.Sum(w => w.Acknowledged);

        public static Writers Start(ChassisClient client, ChassisStatus status)
        {
            var writers = new Writers();
            for (var i = 0; i < status.Processes.Count; i++)
            {
                var writer = new ChaosWriter(client, status.Processes[i].Name, i, new Random(i));
                writers._writers.Add(writer);
                writers._running.Add(writer.RunAsync(WriterPace, writers._stop.Token));
            }

            return writers;
        }

        public IReadOnlyList<string> Check(string process, IEnumerable<string> prefixes) =>
            _writers.Single(w => w.Process == process).Check(prefixes);

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_running);
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }
    }
}
