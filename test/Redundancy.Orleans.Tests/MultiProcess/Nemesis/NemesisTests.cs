using System.Globalization;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Faults;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Testing;
using Xunit;
using Xunit.Abstractions;
using static Redundancy.Orleans.Tests.MultiProcess.ChassisChecks;

namespace Redundancy.Orleans.Tests.MultiProcess.Nemesis;

/// <summary>
/// The real-process nemesis (issue 11): a chassis of real card processes under register writes and reads while a seeded
/// injector kills (SIGKILL), hangs (SIGSTOP), partitions two cards, slows a card, crashes processes, arms crash points
/// inside a commit (the card kills itself after the local apply, after the replicas' acknowledgement, or after programming
/// the forwarding table) and — with k = 2 — kills a second card inside the first one's re-protection window. Then the
/// faults stop and the checker requires: every process ready and protected again (I7), no value read that was refused or
/// never written (I2), no register behind its last protected write (I1), no audit reporting a protocol violation (I6);
/// periodic-mode losses only inside a flush window, and reported. <c>NEMESIS_SEED</c> replays a run,
/// <c>NEMESIS_SECONDS</c> sets its length (default 30), <c>NEMESIS_SOAK=1</c> runs faults every few seconds without
/// waiting for recovery (for hours, locally).
/// </summary>
[Collection(EmbeddedChassisCollection.Name)]
[Trait("Category", "MultiProcess")]
[Trait("Category", TestCategories.MultiProcess)]
public sealed class NemesisTests(ITestOutputHelper output)
{
    public static TheoryData<string, string[]> Configurations() => new()
    {
        { "sync k=2, concurrent faults", ["--Redundancy:ReplicaCount=2"] },
        { "periodic k=1", ["--Redundancy:Mode=Periodic", "--Redundancy:FlushInterval=00:00:00.200"] },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task Faults_UnderRegisterWrites_NothingAcknowledgedLostNothingRefusedVisible(string configuration, string[] arguments)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("NEMESIS_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Environment.TickCount & 0xFFFF;
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("NEMESIS_SECONDS"), CultureInfo.InvariantCulture, out var d) ? d : 30;
        var soak = Environment.GetEnvironmentVariable("NEMESIS_SOAK") == "1";
        var periodic = configuration.StartsWith("periodic", StringComparison.Ordinal);
        var k = configuration.Contains("k=2", StringComparison.Ordinal) ? 2 : 1;
        var random = new Random(seed);
        var log = new RunLog(output);
        var Note = log.Note;

        Note($"nemesis {configuration}: seed {seed} (replay with NEMESIS_SEED={seed}), {seconds} s{(soak ? ", soak" : "")}");
        await using var chassis = await EmbeddedChassisProcess.StartAsync(slots: 3, spares: 3, replacementCards: 60,
            ["--Chassis:RoutesPerProcess=0", "--Chassis:ProcessesPerSlot=1", .. arguments]);
        using var logs = new ChassisLogs(output, chassis);
        var api = chassis.Client;
        var history = new RegisterHistory();
        var start = await WaitProtectedAsync(api, "the chassis protected before the first fault");
        using var stop = new CancellationTokenSource();
        var clients = start.Processes.Select((p, i) => RunClientAsync(api, history, p.Name, $"100.{100 + i}.", new Random(seed * 31 + i), stop.Token)).ToList();

        var faults = new Dictionary<string, int>(StringComparer.Ordinal);
        var hung = new List<string>();
        var partitions = new List<(string, string)>();
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                var status = soak ? await api.GetChassisAsync() : await WaitProtectedAsync(api, "the chassis protected before the next fault", partitions, Note);
                await HealAsync(api, hung, partitions);
                var kind = await InjectAsync(api, history, status, random, k, hung, partitions, Note);
                faults[kind] = faults.GetValueOrDefault(kind) + 1;
                await Task.Delay(soak ? TimeSpan.FromSeconds(2 + random.Next(3)) : TimeSpan.FromMilliseconds(500 + random.Next(1500)));
            }
        }
        finally
        {
            await HealAsync(api, hung, partitions);
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        // Faults stopped: liveness (I7) first, then the final reads.
        var final = await WaitProtectedAsync(api, "every process ready and protected after the faults stopped");
        var finalFrom = history.Now;
        foreach (var p in final.Processes)
        {
            await history.ReadAsync(api, p.Name, RegisterPrefix(final, p.Name), CancellationToken.None);
        }

        var periodicLosses = new List<string>();
        var problems = history.Check(finalFrom, flushWindow: TimeSpan.FromSeconds(2), periodicLosses);
        problems.AddRange(final.Processes.Where(p => p.LastAudit is { Violations: > 0 }).Select(p => $"{p.Name}: its audit reports a protocol violation: {string.Join("; ", p.LastAudit!.Findings.Select(f => f.Action))}"));
        if (!periodic)
        {
            problems.AddRange(periodicLosses);
        }

        var writes = history.Writes;
        Note($"nemesis {configuration}: {faults.Values.Sum()} faults ({string.Join(", ", faults.Select(f => $"{f.Key} {f.Value}"))}); " +
             $"{writes.Count} writes: {string.Join(", ", writes.GroupBy(w => w.Outcome).Select(g => $"{g.Key} {g.Count()}"))}; " +
             $"{periodicLosses.Count} periodic loss(es) within the flush window; verdict {(problems.Count == 0 ? "PASS" : "FAIL")}");
        foreach (var loss in periodicLosses.Take(10))
        {
            Note("  within tolerance: " + loss);
        }

        Assert.True(problems.Count == 0, $"seed {seed}: {string.Join("\n", problems.Take(20))}\n{log}");
        Assert.True(faults.Values.Sum() >= 3, $"only {faults.Values.Sum()} faults were injected in {seconds} s");
        Assert.Contains(writes, w => w.Outcome is Protocol.Simulation.WriteOutcome.Protected or Protocol.Simulation.WriteOutcome.UnprotectedUntilFlushed);
    }

    private static string RegisterPrefix(ChassisStatus status, string process) =>
        $"100.{100 + status.Processes.Select(p => p.Name).ToList().IndexOf(process)}.";

    /// <summary>One process's client: writes to 16 registers (a few withdrawals) and reads them back, paced.</summary>
    private static async Task RunClientAsync(ChassisClient api, RegisterHistory history, string process, string prefix, Random random, CancellationToken ct)
    {
        var index = 0;
        while (!ct.IsCancellationRequested)
        {
            var register = $"{prefix}0.{random.Next(16)}/32";
            await history.WriteAsync(api, process, register, withdraw: random.Next(8) == 0, index++, ct);
            if (random.Next(4) == 0)
            {
                await history.ReadAsync(api, process, prefix, ct);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 + random.Next(40)), ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<string> InjectAsync(ChassisClient api, RegisterHistory history, ChassisStatus status, Random random, int k,
        List<string> hung, List<(string, string)> partitions, Action<string> note)
    {
        var lineCards = status.Cards.Where(c => c.Alive && c.Role == CardRoles.Line).Select(c => c.CardId).ToList();
        var spares = status.Cards.Count(c => c.Alive && c.Role == CardRoles.Spare);
        var process = status.Processes[random.Next(status.Processes.Count)];
        void PrimariesOn(string card)
        {
            foreach (var p in status.Processes.Where(p => p.CardId == card))
            {
                history.PrimaryFault(p.Name);
            }
        }

        var kind = spares < k + 1 ? "replace" : random.Next(8) switch
        {
            0 => "crash",
            1 => "kill",
            2 => "hang",
            3 => "partition",
            4 => "slow",
            5 => "crash-point",
            6 => k >= 2 ? "double-kill" : "kill",
            _ => "partition",
        };
        switch (kind)
        {
            case "crash":
                note($"fault: crash process {process.Name}");
                history.PrimaryFault(process.Name);
                await api.CrashAsync(process.Name);
                break;
            case "kill" or "double-kill":
                var victim = lineCards[random.Next(lineCards.Count)];
                note($"fault: kill -9 card {victim}");
                PrimariesOn(victim);
                await api.KillCardAsync(victim);
                if (kind == "double-kill")
                {
                    // A second card inside the first one's re-protection window: with k = 2 nothing protected may be lost.
                    await Task.Delay(TimeSpan.FromMilliseconds(100 + random.Next(400)));
                    var second = lineCards.Where(c => c != victim).ToList()[random.Next(lineCards.Count - 1)];
                    note($"fault: kill -9 card {second} (inside the re-protection window)");
                    PrimariesOn(second);
                    await api.KillCardAsync(second);
                }

                break;
            case "hang":
                var stopped = lineCards[random.Next(lineCards.Count)];
                note($"fault: kill -STOP card {stopped}");
                PrimariesOn(stopped);
                await api.HangCardAsync(stopped);
                hung.Add(stopped);
                break;
            case "partition":
                var replica = process.Replicas.FirstOrDefault(r => r.CardId is not null && r.CardId != process.CardId)?.CardId;
                var (a, b) = replica is not null && process.CardId is { } primary ? (primary, replica) : (lineCards[0], lineCards[1]);
                note($"fault: partition {a} | {b} (grain calls blocked, membership untouched)");
                await api.PartitionAsync(a, b);
                partitions.Add((a, b));
                break;
            case "slow":
                var slow = lineCards[random.Next(lineCards.Count)];
                var ms = 100 + random.Next(700);
                note($"fault: card {slow} slow by {ms} ms per incoming call");
                await api.SlowCardAsync(slow, ms);
                partitions.Add((slow, ""));
                break;
            case "crash-point":
                var point = CrashPoints.All[random.Next(CrashPoints.All.Count)];
                note($"fault: {process.Name}'s card {process.CardId} crashes at {point} of its next commit");
                PrimariesOn(process.CardId!);
                try
                {
                    await api.ArmCrashPointAsync(process.Name, point);
                }
                catch (ChassisApiException e) when (e.Status == System.Net.HttpStatusCode.ServiceUnavailable
                    && e.Detail.Contains("became unavailable", StringComparison.Ordinal) && e.Detail.Contains(nameof(ICardFaultInjection.ArmCrashPoint), StringComparison.Ordinal))
                {
                    // Writes never stop: a commit can reach the armed point and kill the card before the arm's own answer
                    // has left it. The fault happened as asked; only its acknowledgement was lost with the card.
                    note($"fault: card {process.CardId} crashed at {point} before the arm was acknowledged");
                }

                break;
            default:
                var added = await api.AddCardAsync();
                note($"fault: replacement card {added} joins");
                break;
        }

        return kind;
    }

    /// <summary>Resumes hung cards (declared dead, they stop by themselves), heals partitions, makes slow cards fast again.</summary>
    private static async Task HealAsync(ChassisClient api, List<string> hung, List<(string A, string B)> partitions)
    {
        foreach (var card in hung)
        {
            await Ignore(() => api.ResumeCardAsync(card));
        }

        foreach (var (a, b) in partitions)
        {
            await Ignore(() => b.Length == 0 ? api.SlowCardAsync(a, 0) : api.HealPartitionAsync(a, b));
        }

        hung.Clear();
        partitions.Clear();
    }

    private static async Task Ignore(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (ChassisApiException)
        {
            // the card died meanwhile: nothing to heal
        }
    }

    private static Task<ChassisStatus> WaitProtectedAsync(ChassisClient api, string phase) => WaitProtectedAsync(api, phase, TimeSpan.FromSeconds(90));

    /// <summary>
    /// Known limit: a replica on a card its primary is partitioned from, while membership sees both alive, is not moved (a
    /// replica's grain identity is fixed per index, so every call, re-install and relocation still routes to that card),
    /// and the process stays unprotected until the partition heals; safety is not affected (synchronous writes are
    /// refused, periodic ones are answered UnprotectedUntilFlushed). So a partition that keeps the chassis unprotected
    /// for 20 s is healed first, and then protection is required as before (90 s); slow and hung cards are not healed early.
    /// </summary>
    private static async Task<ChassisStatus> WaitProtectedAsync(ChassisClient api, string phase, List<(string A, string B)> partitions, Action<string> note)
    {
        var split = partitions.Where(p => p.B.Length > 0).ToList();
        if (split.Count > 0)
        {
            try
            {
                return await WaitProtectedAsync(api, phase, TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException e)
            {
                note($"not protected within 20 s behind a partition, healing it first (known limit): {e.Message}");
                foreach (var (a, b) in split)
                {
                    await Ignore(() => api.HealPartitionAsync(a, b));
                    partitions.Remove((a, b));
                }
            }
        }

        return await WaitProtectedAsync(api, phase, TimeSpan.FromSeconds(90));
    }

    private static Task<ChassisStatus> WaitProtectedAsync(ChassisClient api, string phase, TimeSpan timeout) =>
        api.WaitForAsync(s => s.Processes.All(p => p is { State: ProcessState.Ready, Protected: true } && s.Cards.Any(c => c.CardId == p.CardId && c.Alive))
                              && s.ChassisManager is { State: ProcessState.Ready }, timeout, phase);
}
