using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Replication.Ledger;

namespace Redundancy.Orleans.Tests.Protocol.Simulation;

/// <summary>
/// The simulated chassis around one redundant process: cards with membership (a dead card is declared after a detection
/// delay), a network with delays, loss, partitions and slow cards, the replica directory (which may hold duplicate
/// activations), the durable ledger on the control silo, and the process's primary activations.
/// </summary>
internal sealed class SimWorld
{
    private readonly HashSet<(string, string)> _partitions = [];
    private readonly Dictionary<string, TimeSpan> _slow = new(StringComparer.Ordinal);
    private int _nextCard;
    private int _nextCopy;

    public SimWorld(SimConfig config, int seed)
    {
        Config = config;
        Seed = seed;
        S = new SimScheduler(seed);
        Control = new SimNode(S, "control");
        ClientNode = new SimNode(S, "client");
        Ledger = new SimLedger(this);
        History = new SimHistory(this);
        for (var i = 0; i < config.Cards; i++)
        {
            AddCard();
        }
    }

    public SimConfig Config { get; }

    public int Seed { get; }

    public SimScheduler S { get; }

    public SimNode Control { get; }

    public SimNode ClientNode { get; }

    public SimLedger Ledger { get; }

    public SimHistory History { get; }

    public List<SimNode> Cards { get; } = [];

    public Dictionary<int, List<SimReplica>> Replicas { get; } = [];

    public List<SimPrimary> Primaries { get; } = [];

    /// <summary>Chance that a message is lost (a loss window sets it).</summary>
    public double Loss { get; set; }

    /// <summary>Card failures (crashes and hangs declared dead) so far.</summary>
    public int CardFaults { get; set; }

    /// <summary>Primary copies dropped so far: process crashes, and planned moves (the moved primary's memory goes; the new one restores from the replicas).</summary>
    public int ProcessCrashes { get; set; }

    /// <summary>
    /// Whether the faults stayed within tolerance: no more than k of the process's k + 1 copies lost. Process crashes alone
    /// lose no replica; with card failures, each crash of the primary may be the copy that tips it over (conservative).
    /// </summary>
    public bool WithinTolerance => CardFaults == 0 && ReplicaCopiesLost == 0 || Recoverable();

    /// <summary>Replica copies lost other than with their card (a duplicate activation that lost to its twin).</summary>
    public int ReplicaCopiesLost { get; set; }

    /// <summary>
    /// Whether a copy the protocol may restore from survives: a ready primary of the highest ballot, or a live replica
    /// activation holding a copy of the ledger's latest in-sync set (or a process that never held anything).
    /// </summary>
    public bool Recoverable()
    {
        var record = Ledger.Record;
        if (Primaries.Any(p => p.Status == PrimaryStatus.Ready && p.Node.Alive && !p.Node.Card.DeclaredDead && p.Ballot == record.HighestBallot))
        {
            return true;
        }

        if (record.InSync.Members.Count == 0)
        {
            return record.InSync.Seq == 0 && record.InSync.Version == 0;
        }

        return record.InSync.Members.Any(m => Replicas.GetValueOrDefault(m.Index)?.Any(r => r.Node.Alive && !r.Node.Card.DeclaredDead && r.Copy.CopyId == m.CopyId && r.Copy.HasState) == true);
    }

    public IEnumerable<SimNode> LiveCards => Cards.Where(c => c.Alive && !c.DeclaredDead);

    public SimNode AddCard()
    {
        var card = new SimNode(S, $"card-{++_nextCard}");
        Cards.Add(card);
        return card;
    }

    public string NewCopyId() => $"copy{++_nextCopy}";

    /// <summary>Reports a simulated task's unexpected exception as a defect of the run.</summary>
    public void Observe(Task task) =>
        task.ContinueWith(t => S.Report(t.Exception!.GetBaseException()), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>The primary activation clients reach: the newest live one, or (a duplicate) sometimes another.</summary>
    public SimPrimary? RoutePrimary()
    {
        var live = Primaries.Where(p => p.Node.Alive && !p.Node.Card.DeclaredDead && p.Status is not (PrimaryStatus.Dead or PrimaryStatus.Fenced or PrimaryStatus.Moved)).ToList();
        if (live.Count == 0)
        {
            return null;
        }

        return live.Count > 1 && S.Chance(0.3) ? live[S.Random.Next(live.Count)] : live[^1];
    }

    // --- membership -------------------------------------------------------------------------------------------

    public void CrashCard(SimNode card)
    {
        if (!card.Alive)
        {
            return;
        }

        card.Crash();
        History.CardFailed(card);
        foreach (var p in Primaries.Where(p => p.Node.Card == card && p.Status != PrimaryStatus.Dead))
        {
            History.PrimaryFault(p, $"card {card.Id} killed");
        }

        S.After(S.Jitter(Config.DetectMinMs, Config.DetectMaxMs), () => Declare(card));
    }

    public void PauseCard(SimNode card, TimeSpan duration)
    {
        if (!card.Alive || card.Paused)
        {
            return;
        }

        card.Pause();
        foreach (var p in Primaries.Where(p => p.Node.Card == card && p.Status == PrimaryStatus.Ready))
        {
            History.PrimaryFault(p, $"card {card.Id} hung");
        }

        var detect = S.Jitter(Config.DetectMinMs, Config.DetectMaxMs);
        if (detect < duration)
        {
            S.After(detect, () => Declare(card));
        }

        S.After(duration, () =>
        {
            card.Resume();
            if (card.DeclaredDead)
            {
                // Told it is dead, the silo stops: a little of its queued work may run first, nothing it sends is accepted.
                S.After(S.Jitter(1, 30), card.Crash);
            }
        });
    }

    private void Declare(SimNode card)
    {
        if (card.DeclaredDead)
        {
            return;
        }

        card.DeclaredDead = true;
        CardFaults++;
        History.CardFailed(card);
        if (Config.ReplaceCards)
        {
            S.After(S.Jitter(200, 1500), () => AddCard());
        }

        Manager.OnCardDeclared(card);
    }

    public SimCardManager Manager { get; set; } = null!;

    // --- network ------------------------------------------------------------------------------------------------

    public void Partition(SimNode a, SimNode b, TimeSpan duration)
    {
        var key = Key(a, b);
        _partitions.Add(key);
        S.After(duration, () => _partitions.Remove(key));
    }

    public void Slow(SimNode card, TimeSpan extra, TimeSpan duration)
    {
        _slow[card.Id] = extra;
        S.After(duration, () => _slow.Remove(card.Id));
    }

    public void HealAll()
    {
        _partitions.Clear();
        _slow.Clear();
        Loss = 0;
    }

    /// <summary>
    /// A request from <paramref name="from"/> to <paramref name="to"/>, answered by <paramref name="handler"/> on the
    /// target. A message to or from a card declared dead fails fast (Orleans refuses it); a lost message or one across a
    /// partition is never answered (the caller's timeout decides).
    /// </summary>
    public Task<T> Send<T>(SimNode from, SimNode to, Func<Task<T>> handler)
    {
        var reply = new TaskCompletionSource<T>();
        if (from.Card.DeclaredDead || to.Card.DeclaredDead)
        {
            S.After(Delay(from, to), () => from.Run(() => reply.TrySetException(new SimUnavailableException($"{to.Id} is declared dead"))));
            return reply.Task;
        }

        if (Dropped(from, to))
        {
            return reply.Task;
        }

        S.After(Delay(from, to), () => to.Run(async () =>
        {
            T result;
            try
            {
                result = await handler();
            }
            catch (Exception e) when (e is not SimDefect)
            {
                Answer(to, from, () => reply.TrySetException(e));
                return;
            }
            catch (SimDefect e)
            {
                S.Report(e);
                return;
            }

            Answer(to, from, () => reply.TrySetResult(result));
        }));
        return reply.Task;
    }

    private void Answer(SimNode from, SimNode to, Action complete)
    {
        if (from.Card.DeclaredDead || Dropped(from, to))
        {
            return;
        }

        S.After(Delay(from, to), () => to.Run(complete));
    }

    private bool Dropped(SimNode from, SimNode to) => _partitions.Contains(Key(from, to)) || S.Chance(Loss);

    private TimeSpan Delay(SimNode from, SimNode to) =>
        S.Jitter(Config.LatencyMinMs, Config.LatencyMaxMs) + _slow.GetValueOrDefault(from.Card.Id) + _slow.GetValueOrDefault(to.Card.Id);

    private static (string, string) Key(SimNode a, SimNode b) =>
        string.CompareOrdinal(a.Card.Id, b.Card.Id) < 0 ? (a.Card.Id, b.Card.Id) : (b.Card.Id, a.Card.Id);

    // --- replica directory --------------------------------------------------------------------------------------

    /// <summary>
    /// The activation a message to replica <paramref name="index"/> reaches: a live one (now and then a duplicate), or
    /// a new, empty one placed on <paramref name="placeOn"/> or a live card other than <paramref name="avoid"/>.
    /// </summary>
    public SimReplica? ResolveReplica(int index, string? placeOn, string? avoid)
    {
        if (!Replicas.TryGetValue(index, out var list))
        {
            Replicas[index] = list = [];
        }

        list.RemoveAll(r => !r.Node.Alive || r.Node.Card.DeclaredDead);
        if (list.Count > 0)
        {
            return list.Count > 1 && S.Chance(0.3) ? list[S.Random.Next(list.Count)] : list[0];
        }

        var candidates = LiveCards.Where(c => c.Id != avoid).ToList();
        var card = candidates.FirstOrDefault(c => c.Id == placeOn) ?? (candidates.Count > 0 ? candidates[S.Random.Next(candidates.Count)] : null);
        if (card is null)
        {
            return null;
        }

        var replica = new SimReplica(this, card, index, NewCopyId());
        list.Add(replica);
        return replica;
    }

    /// <summary>A replica's migration to another card (relocation): the copy moves with it.</summary>
    public void MoveReplica(SimReplica old, string? targetCardId)
    {
        var list = Replicas[old.Index];
        var at = list.IndexOf(old);
        if (at < 0 || LiveCards.FirstOrDefault(c => c.Id == targetCardId) is not { } target
            || old.Node.Card == target || !old.Node.Alive || old.Node.Card.DeclaredDead)
        {
            return; // only a live activation migrates
        }

        var index = old.Index;
        old.Node.Crash();
        list[at] = new SimReplica(this, target, index, old.Copy.CopyId, old.Copy);
        History.Note($"replica {index} ({old.Copy.CopyId}) moved from {old.Node.Card.Id} to {target.Id}");
    }

    /// <summary>Fault: a second activation of a replica on another card (the directory briefly lost track of the first).</summary>
    public void DuplicateReplica(int index)
    {
        if (!Replicas.TryGetValue(index, out var list) || list.Count == 0)
        {
            return;
        }

        var cards = LiveCards.Where(c => list.All(r => r.Node.Card != c)).ToList();
        if (cards.Count == 0)
        {
            return;
        }

        var twin = new SimReplica(this, cards[S.Random.Next(cards.Count)], index, NewCopyId());
        list.Add(twin);

        // The directory settles on one of them soon; the other is deactivated and its copy is gone.
        S.After(S.Jitter(100, 1500), () =>
        {
            var live = list.Where(r => r.Node.Alive).ToList();
            if (live.Count < 2)
            {
                return;
            }

            var loser = live[S.Random.Next(live.Count)];
            loser.Node.Crash();
            list.Remove(loser);
            if (loser.Copy.HasState)
            {
                ReplicaCopiesLost++;
            }

            History.Note($"duplicate replica {index}: {loser.Node.Id} deactivated");
        });
    }
}

/// <summary>A call failed fast because its target's card is declared dead.</summary>
internal sealed class SimUnavailableException(string message) : Exception(message);

/// <summary>The harness itself went wrong (not the protocol): fails the schedule with its seed.</summary>
internal sealed class SimDefect(string message) : Exception(message);
