using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Tests.Protocol.Simulation;

/// <summary>The outcome of one simulated schedule.</summary>
internal sealed record SimResult(SimConfig Config, int Seed, IReadOnlyList<string> Violations, long Events, int Writes, int Faults, bool WithinTolerance, IReadOnlyList<string> Log)
{
    public bool Passed => Violations.Count == 0;

    /// <summary>Everything a failing schedule's report needs: the seed to replay it, what broke, what happened.</summary>
    public string Describe() =>
        $"schedule {Config.Name} seed {Seed} (replay: SIM_REPLAY={Seed} with config '{Config.Name}'): {Violations.Count} violation(s)\n  " +
        string.Join("\n  ", Violations.Take(5)) + "\n  history:\n    " + string.Join("\n    ", Log.TakeLast(60));
}

/// <summary>
/// Runs one schedule: clients write and read registers while the fault injector, seeded, kills, hangs, partitions, slows
/// and duplicates things; then the faults stop and the process must recover; then the checker judges the history.
/// </summary>
internal static class SimRun
{
    private const long MaxEvents = 400_000;

    public static SimResult Execute(SimConfig config, int seed)
    {
        var world = new SimWorld(config, seed);
        world.Manager = new SimCardManager(world);
        world.Manager.Start();
        var s = world.S;
        long nextValue = 0;
        var faultEnd = config.FaultPhase.Ticks;
        for (var key = 0; key < config.Keys; key++)
        {
            var k = key;
            world.ClientNode.Run(() => world.Observe(WriterAsync(world, k, () => ++nextValue)));
        }

        world.ClientNode.Run(() => world.Observe(ReaderAsync(world, faultEnd)));
        var faults = s.Random.Next(config.MaxFaults + 1);
        var cardFaults = 0;
        for (var i = 0; i < faults; i++)
        {
            var kind = config.FaultKinds[s.Random.Next(config.FaultKinds.Count)];
            if (kind is SimFault.KillCard or SimFault.HangCard && ++cardFaults > config.MaxCardFaults)
            {
                kind = SimFault.CrashProcess;
            }

            s.At((long)(s.Random.NextDouble() * faultEnd), () => Inject(world, kind));
        }

        s.At(faultEnd, () =>
        {
            world.HealAll();
            world.History.Note("faults stop");
        });
        var completed = s.RunUntil(faultEnd + config.QuietPhase.Ticks, MaxEvents);
        if (completed)
        {
            var done = false;
            world.ClientNode.Run(() => world.Observe(FinalReadsAsync(world, () => done = true)));
            completed = s.RunUntil(s.Now + TimeSpan.FromSeconds(5).Ticks, MaxEvents) && done;
        }

        var withinTolerance = world.WithinTolerance;
        if (s.Fault is { } defect)
        {
            world.History.Violations.Add($"the simulation itself failed (a defect in the protocol code or the harness): {defect}");
        }
        else if (!completed)
        {
            world.History.Violations.Add($"the run did not finish within {MaxEvents} events (a livelock?)");
        }
        else
        {
            SimChecker.Check(world, withinTolerance);
        }

        return new SimResult(config, seed, world.History.Violations, s.Events, world.History.Writes.Count, faults, withinTolerance, world.History.Log);
    }

    private static void Inject(SimWorld world, SimFault kind)
    {
        var s = world.S;
        var primary = world.Primaries.LastOrDefault(p => p.Node.Alive && p.Status != PrimaryStatus.Dead);
        var replicaCards = world.Replicas.Values.SelectMany(r => r).Where(r => r.Node.Alive).Select(r => r.Node.Card).ToList();
        SimNode? Pick()
        {
            var live = world.LiveCards.ToList();
            var roll = s.Random.NextDouble();
            return roll < 0.45 && primary is not null ? primary.Node.Card
                : roll < 0.9 && replicaCards.Count > 0 ? replicaCards[s.Random.Next(replicaCards.Count)]
                : live.Count > 0 ? live[s.Random.Next(live.Count)] : null;
        }

        switch (kind)
        {
            case SimFault.KillCard when Pick() is { } card:
                world.History.Note($"fault: kill {card.Id}");
                world.CrashCard(card);
                break;
            case SimFault.HangCard when Pick() is { } card:
                var hang = s.Jitter(50, 1800);
                world.History.Note($"fault: hang {card.Id} for {hang.TotalMilliseconds:0} ms");
                world.PauseCard(card, hang);
                break;
            case SimFault.Partition when Pick() is { } a && Pick() is { } b && a != b:
                var cut = s.Jitter(50, 1500);
                world.History.Note($"fault: partition {a.Id} | {b.Id} for {cut.TotalMilliseconds:0} ms");
                world.Partition(a, b, cut);
                break;
            case SimFault.SlowCard when Pick() is { } card:
                var extra = s.Jitter(50, 500);
                world.History.Note($"fault: {card.Id} slow by {extra.TotalMilliseconds:0} ms");
                world.Slow(card, extra, s.Jitter(100, 1500));
                break;
            case SimFault.MessageLoss:
                world.Loss = 0.02 + s.Random.NextDouble() * 0.2;
                world.History.Note($"fault: lose {world.Loss:P0} of messages");
                s.After(s.Jitter(50, 800), () => world.Loss = 0);
                break;
            case SimFault.CrashProcess when primary is not null:
                world.History.Note($"fault: crash process {primary.Node.Id}");
                primary.Crash();
                world.Manager.EnsureOne();
                break;
            case SimFault.DuplicatePrimary:
                world.History.Note("fault: duplicate primary activation");
                world.Manager.Duplicate();
                break;
            case SimFault.DuplicateReplica:
                world.History.Note("fault: duplicate replica activation");
                world.DuplicateReplica(s.Random.Next(world.Config.ReplicaCount));
                break;
            case SimFault.PlannedMove:
                world.History.Note("planned move");
                world.Manager.Move();
                break;
        }
    }

    private static async Task WriterAsync(SimWorld world, int key, Func<long> nextValue)
    {
        var s = world.S;
        for (var i = 0; i < world.Config.WritesPerKey; i++)
        {
            await Task.Delay(s.Jitter(1, 250), s.Clock);
            var primary = await FindPrimaryAsync(world);
            if (primary is null)
            {
                continue;
            }

            var write = new SimWrite { Key = key, Value = nextValue(), Index = i, IssuedAt = s.Now, By = primary };
            world.History.Writes.Add(write);
            try
            {
                var outcome = await world.Send(world.ClientNode, primary.Node, () => primary.WriteAsync(new RegisterDelta(key, write.Value)))
                    .WaitAsync(TimeSpan.FromSeconds(3), s.Clock);
                write.Outcome = outcome.Protection switch
                {
                    Protection.Protected => WriteOutcome.Protected,
                    Protection.Unprotected => WriteOutcome.Unprotected,
                    _ => WriteOutcome.UnprotectedUntilFlushed,
                };
                write.Detail = $"{primary.Node.Id} ballot {primary.Ballot} seq {outcome.Seq}, {outcome.Replicas} replica(s)";
            }
            catch (RedundancyException e) when (e.Kind is RedundancyErrorKind.NotProtected or RedundancyErrorKind.NotServing)
            {
                write.Outcome = WriteOutcome.Refused;
                write.Detail = $"{primary.Node.Id}: {e.Message}";
            }
            catch (Exception e) when (e is RedundancyException or TimeoutException or SimUnavailableException)
            {
                write.Outcome = WriteOutcome.Unknown;
                write.Detail = $"{primary.Node.Id}: {e.GetType().Name}: {e.Message}";
            }

            write.DoneAt = s.Now;
            world.History.Note($"write k{key}={write.Value}: {write.Outcome} ({write.Detail})");
        }
    }

    private static async Task ReaderAsync(SimWorld world, long until)
    {
        var s = world.S;
        while (s.Now < until)
        {
            await Task.Delay(s.Jitter(20, 120), s.Clock);
            await ReadAsync(world, s.Random.Next(world.Config.Keys));
        }
    }

    private static async Task FinalReadsAsync(SimWorld world, Action done)
    {
        for (var key = 0; key < world.Config.Keys; key++)
        {
            await ReadAsync(world, key);
        }

        done();
    }

    private static async Task ReadAsync(SimWorld world, int key)
    {
        var s = world.S;
        if (world.RoutePrimary() is not { Status: PrimaryStatus.Ready } primary)
        {
            return;
        }

        var started = s.Now;
        var current = primary.Ballot == world.Ledger.Record.HighestBallot;
        try
        {
            var value = await world.Send(world.ClientNode, primary.Node, () => primary.ReadAsync(key)).WaitAsync(TimeSpan.FromSeconds(1), s.Clock);
            world.History.Reads.Add(new SimRead(key, value, started, s.Now, current, $"{primary.Node.Id} ballot {primary.Ballot}"));
        }
        catch (Exception e) when (e is RedundancyException or TimeoutException or SimUnavailableException)
        {
            // no answer: nothing to check
        }
    }

    private static async Task<SimPrimary?> FindPrimaryAsync(SimWorld world)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            if (world.RoutePrimary() is { Status: PrimaryStatus.Ready } primary)
            {
                return primary;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), world.S.Clock);
        }

        return null;
    }
}
