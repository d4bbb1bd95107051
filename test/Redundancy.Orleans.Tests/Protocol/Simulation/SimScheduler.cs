namespace Redundancy.Orleans.Tests.Protocol.Simulation;

/// <summary>
/// The deterministic heart of the protocol simulator: one thread, a virtual clock and an event queue ordered by
/// (time, insertion). Every piece of simulated code runs inside a <see cref="SimNode"/>'s synchronization context, so each
/// <c>await</c> that yields comes back through this queue — which is where a node can be crashed "at any await point":
/// its queued continuations are simply dropped. Timers and delays use <see cref="SimClock"/>. Same seed, same run.
/// </summary>
internal sealed class SimScheduler
{
    private readonly PriorityQueue<Action, (long Time, long Order)> _queue = new();
    private long _order;

    public SimScheduler(int seed)
    {
        Random = new Random(seed);
        Clock = new SimClock(this);
    }

    public Random Random { get; }

    public SimClock Clock { get; }

    /// <summary>Virtual time in ticks since the start of the run.</summary>
    public long Now { get; private set; }

    public long Events { get; private set; }

    /// <summary>The first unexpected exception thrown by simulated code: a defect, reported with the seed.</summary>
    public Exception? Fault { get; private set; }

    public void At(long time, Action action) => _queue.Enqueue(action, (Math.Max(time, Now), _order++));

    public void After(TimeSpan delay, Action action) => At(Now + delay.Ticks, action);

    /// <summary>Runs events until the queue is empty or virtual time passes <paramref name="until"/>; false when the event budget ran out.</summary>
    public bool RunUntil(long until, long maxEvents)
    {
        while (_queue.TryPeek(out _, out var key) && key.Time <= until && Fault is null)
        {
            if (++Events > maxEvents)
            {
                return false;
            }

            var action = _queue.Dequeue();
            Now = key.Time;
            try
            {
                action();
            }
            catch (Exception e)
            {
                Fault ??= e;
            }
        }

        Now = Math.Max(Now, until);
        return true;
    }

    public void Report(Exception e) => Fault ??= e;

    public TimeSpan Jitter(double minMs, double maxMs) => TimeSpan.FromMilliseconds(minMs + Random.NextDouble() * (maxMs - minMs));

    public bool Chance(double p) => p > 0 && Random.NextDouble() < p;
}

/// <summary>Virtual time for the code under test: its timers are scheduler events.</summary>
internal sealed class SimClock(SimScheduler scheduler) : TimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Epoch + TimeSpan.FromTicks(scheduler.Now);

    public override long GetTimestamp() => scheduler.Now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new SimTimer(scheduler, callback, state, dueTime, period);

    private sealed class SimTimer : ITimer
    {
        private readonly SimScheduler _scheduler;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private long _generation;
        private TimeSpan _period;

        public SimTimer(SimScheduler scheduler, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            (_scheduler, _callback, _state) = (scheduler, callback, state);
            Change(dueTime, period);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var generation = ++_generation;
            _period = period;
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                Schedule(dueTime, generation);
            }

            return true;
        }

        private void Schedule(TimeSpan due, long generation) => _scheduler.After(due, () =>
        {
            if (generation != _generation)
            {
                return;
            }

            _callback(_state);
            if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero && generation == _generation)
            {
                Schedule(_period, generation);
            }
        });

        public void Dispose() => _generation++;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// Where simulated code runs: a card (the failure domain: membership, partitions, hangs) or an activation on a card (a
/// primary, a replica). Each is a synchronization context whose posts are scheduler events; crashing it (or its card)
/// drops every continuation it has queued and every one it would get — a crash at whatever await point it was in.
/// </summary>
internal sealed class SimNode : SynchronizationContext
{
    private readonly SimScheduler _scheduler;
    private List<Action>? _held;
    private bool _alive = true;

    public SimNode(SimScheduler scheduler, string id, SimNode? card = null)
    {
        _scheduler = scheduler;
        Id = id;
        Card = card ?? this;
    }

    public string Id { get; }

    /// <summary>The card this node runs on (itself for a card).</summary>
    public SimNode Card { get; }

    /// <summary>False once the node or its card crashed: nothing more runs on it.</summary>
    public bool Alive => _alive && (Card == this || Card.Alive);

    /// <summary>True while the card is hung (SIGSTOP): its work waits until it resumes.</summary>
    public bool Paused => Card._held is not null;

    /// <summary>Set by membership once it declared the card dead (other cards refuse its messages).</summary>
    public bool DeclaredDead { get; set; }

    public void Crash() => _alive = false;

    public void Pause() => Card._held ??= [];

    public void Resume()
    {
        var held = Card._held;
        Card._held = null;
        foreach (var action in held ?? [])
        {
            _scheduler.After(TimeSpan.Zero, action);
        }
    }

    /// <summary>Runs <paramref name="action"/> on this node soon (as a posted continuation would).</summary>
    public void Run(Action action) => _scheduler.After(TimeSpan.Zero, () => Execute(action));

    public void RunAfter(TimeSpan delay, Action action) => _scheduler.After(delay, () => Execute(action));

    public override void Post(SendOrPostCallback d, object? state) => Run(() => d(state));

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("The simulator never blocks.");

    public override SynchronizationContext CreateCopy() => this;

    private void Execute(Action action)
    {
        if (!Alive)
        {
            return; // crashed since: this continuation is gone with the node's memory
        }

        if (Card._held is { } held)
        {
            held.Add(() => Execute(action));
            return;
        }

        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            action();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
