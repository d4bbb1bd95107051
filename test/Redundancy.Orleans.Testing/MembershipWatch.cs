namespace Redundancy.Orleans.Testing;

/// <summary>
/// Watches the membership table while a scenario runs (<see cref="IManagementGrain.GetDetailedHosts"/>, a few times a
/// second) and keeps every suspicion vote and every death it sees. The scenario marks the cards it kills; any other
/// card that was suspected or declared dead was mistaken for a dead one by the failure detector — a false suspicion or
/// a false death. Votes are overwritten in the table (one per voter, at most as many as a death needs), so the count is
/// a lower bound: a voter that votes twice between two reads counts once.
/// </summary>
public sealed class MembershipWatch : IAsyncDisposable
{
    private readonly IManagementGrain _management;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<SiloAddress, Member> _members = [];
    private readonly HashSet<SiloAddress> _killed = [];
    private Task _loop = Task.CompletedTask;
    private int _reads;
    private int _failedReads;

    private MembershipWatch(IGrainFactory grains, TimeSpan interval)
    {
        _management = grains.GetGrain<IManagementGrain>(0);
        _interval = interval;
    }

    /// <summary>Starts watching; the votes already in the table when it starts are not counted.</summary>
    public static async Task<MembershipWatch> StartAsync(IGrainFactory grains, TimeSpan? interval = null)
    {
        var watch = new MembershipWatch(grains, interval ?? TimeSpan.FromMilliseconds(100));
        await watch.ReadAsync(baseline: true);
        watch._loop = Task.Run(watch.RunAsync);
        return watch;
    }

    /// <summary>Marks the card the scenario is about to kill (its active incarnation): its suspicion and death are expected.</summary>
    /// <exception cref="InvalidOperationException">The membership table has no active silo named <paramref name="cardId"/>.</exception>
    public void Killing(string cardId)
    {
        lock (_lock)
        {
            var active = _members.Where(m => m.Value.Name == cardId && m.Value.Status == SiloStatus.Active).Select(m => m.Key).ToList();
            if (active.Count == 0)
            {
                throw new InvalidOperationException($"No active silo named '{cardId}' in the membership table (seen: {string.Join(", ", _members.Values.Select(m => $"{m.Name} {m.Status}"))}).");
            }

            _killed.UnionWith(active);
        }
    }

    /// <summary>Reads the table once more and counts what was seen since the watch started.</summary>
    public async Task<MembershipFigures> FiguresAsync()
    {
        await ReadAsync(baseline: false);
        lock (_lock)
        {
            var healthy = _members.Where(m => !_killed.Contains(m.Key)).Select(m => m.Value).ToList();
            return new MembershipFigures(
                [.. healthy.Where(m => m.DiedWhileWatched).Select(m => m.Name).Order(StringComparer.Ordinal)],
                healthy.Sum(m => m.Votes.Count),
                [.. healthy.Where(m => m.Votes.Count > 0).Select(m => m.Name).Distinct().Order(StringComparer.Ordinal)],
                _members.Count(m => _killed.Contains(m.Key) && m.Value.Status == SiloStatus.Dead),
                _reads,
                _failedReads);
        }
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                await ReadAsync(baseline: false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task ReadAsync(bool baseline)
    {
        MembershipEntry[] entries;
        try
        {
            entries = await _management.GetDetailedHosts(onlyActive: false).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is not OutOfMemoryException && !baseline)
        {
            // The control silo is as busy as every other during a failover: a missed read only loses resolution.
            Interlocked.Increment(ref _failedReads);
            return;
        }

        lock (_lock)
        {
            _reads++;
            foreach (var entry in entries)
            {
                if (!_members.TryGetValue(entry.SiloAddress, out var member))
                {
                    _members[entry.SiloAddress] = member = new Member(entry.SiloName, entry.Status);
                }

                member.DiedWhileWatched |= member.Status != SiloStatus.Dead && entry.Status == SiloStatus.Dead;
                member.Status = entry.Status;
                foreach (var vote in entry.SuspectTimes ?? [])
                {
                    if (baseline)
                    {
                        member.Ignored.Add((vote.Item1, vote.Item2));
                    }
                    else if (!member.Ignored.Contains((vote.Item1, vote.Item2)))
                    {
                        member.Votes.Add((vote.Item1, vote.Item2));
                    }
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private sealed class Member(string name, SiloStatus status)
    {
        public string Name { get; } = name;

        public SiloStatus Status { get; set; } = status;

        public bool DiedWhileWatched { get; set; }

        public HashSet<(SiloAddress Voter, DateTime At)> Votes { get; } = [];

        public HashSet<(SiloAddress Voter, DateTime At)> Ignored { get; } = [];
    }
}

/// <summary>What a <see cref="MembershipWatch"/> saw: cards lost and suspected without having been killed.</summary>
/// <param name="HealthyDeclaredDead">Cards declared dead that the scenario did not kill (false deaths).</param>
/// <param name="HealthySuspicions">Suspicion votes against cards the scenario did not kill (false suspicions).</param>
/// <param name="SuspectedHealthy">The cards those votes were against.</param>
/// <param name="KilledDeclaredDead">Killed cards that membership declared dead.</param>
/// <param name="Reads">Reads of the membership table.</param>
/// <param name="FailedReads">Reads that failed or timed out (the control silo was too busy to answer within 5 s).</param>
public sealed record MembershipFigures(
    IReadOnlyList<string> HealthyDeclaredDead, int HealthySuspicions, IReadOnlyList<string> SuspectedHealthy, int KilledDeclaredDead, int Reads, int FailedReads)
{
    public override string ToString() =>
        $"healthy cards declared dead: {HealthyDeclaredDead.Count} [{string.Join(", ", HealthyDeclaredDead)}], suspicion votes on healthy cards: {HealthySuspicions} " +
        $"[{string.Join(", ", SuspectedHealthy)}], killed cards declared dead: {KilledDeclaredDead}, table reads: {Reads} ({FailedReads} failed)";
}
