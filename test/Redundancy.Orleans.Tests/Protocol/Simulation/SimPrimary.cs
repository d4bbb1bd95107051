using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;

namespace Redundancy.Orleans.Tests.Protocol.Simulation;

internal enum PrimaryStatus
{
    Restoring,
    Ready,
    Unavailable,
    Fenced,
    Moved,
    Dead,
}

/// <summary>
/// One activation of the process's primary, as <c>RedundantProcessGrain</c> runs it: the production
/// <see cref="Restorer{TState, TDelta}"/> and <see cref="ReplicationSession{TState, TDelta}"/> on a simulated card,
/// requests one at a time (a non-reentrant grain), a periodic tick, and a background publisher standing for the
/// forwarding table and the peers (what the process shows outside).
/// </summary>
internal sealed class SimPrimary
{
    private readonly SimWorld _world;
    private readonly IReplicaChannel<RegisterState, RegisterDelta>[] _replicas;
    private readonly Dictionary<int, long> _keySeq = [];
    private Task _turn = Task.CompletedTask;

    public SimPrimary(SimWorld world, SimNode card, int number)
    {
        _world = world;
        Node = new SimNode(world.S, $"{card.Id}/primary#{number}", card);
        _replicas = Enumerable.Range(0, world.Config.ReplicaCount).Select(i => (IReplicaChannel<RegisterState, RegisterDelta>)new SimReplicaChannel(world, Node, i)).ToArray();
        Node.Run(() => world.Observe(LifeAsync()));
    }

    public SimNode Node { get; }

    public PrimaryStatus Status { get; private set; } = PrimaryStatus.Restoring;

    public RegisterState State { get; private set; } = new();

    public ReplicationSession<RegisterState, RegisterDelta>? Session { get; private set; }

    public string? Reason { get; private set; }

    public long Ballot => Session?.Ballot ?? 0;

    /// <summary>The process crashes (its memory is gone); the card manager restarts it.</summary>
    public void Crash()
    {
        if (Status is PrimaryStatus.Dead)
        {
            return;
        }

        Node.Crash();
        Status = PrimaryStatus.Dead;
        _world.ProcessCrashes++;
        _world.History.PrimaryFault(this, "process crash");
        _world.Manager.OnPrimaryGone(this);
    }

    public Task<CommitOutcome> WriteAsync(RegisterDelta delta) => Turn(async () =>
    {
        if (Status != PrimaryStatus.Ready || Session is null)
        {
            throw new RedundancyException(RedundancyErrorKind.NotServing, $"primary is {Status}; nothing was changed");
        }

        var session = Session;
        var outcome = await session.CommitAsync(delta, d =>
        {
            State.Apply(d);
            _keySeq[d.Key] = session.Seq + 1;
        });
        if (outcome.Protection == Protection.Protected)
        {
            _world.History.ProtectedAck(this, session.Ballot, delta);
        }

        AfterChange();
        return outcome;
    });

    public Task<long?> ReadAsync(int key) => Turn(() =>
    {
        if (Status != PrimaryStatus.Ready)
        {
            throw new RedundancyException(RedundancyErrorKind.NotServing, $"primary is {Status}");
        }

        return Task.FromResult(State.Values.TryGetValue(key, out var v) ? v : (long?)null);
    });

    /// <summary>A planned move: hands over only when the protocol says every change is held by the in-sync set.</summary>
    public Task<string?> HandOverAsync() => Turn(async () =>
    {
        if (Status != PrimaryStatus.Ready || Session is null)
        {
            return "not ready";
        }

        var why = await Session.ReadyToHandOverAsync();
        if (why is null)
        {
            Status = PrimaryStatus.Moved;
            Node.Crash(); // graceful: its memory goes, the new activation restores from the in-sync set
        }

        return why;
    });

    private async Task LifeAsync()
    {
        var ledger = _world.Ledger.ClientFor(Node);
        var settings = _world.Config.Settings();
        while (true)
        {
            var cards = new SimCards(_world, Node.Card.Id);
            try
            {
                var restored = await new Restorer<RegisterState, RegisterDelta>("P", settings, _replicas, ledger, cards, _world.S.Clock).RestoreAsync();
                State = restored.State.Clone();
                Session = new ReplicationSession<RegisterState, RegisterDelta>(settings, restored, () => State, _replicas, ledger, () => new SimCards(_world, Node.Card.Id), _world.S.Clock);
                Status = PrimaryStatus.Ready;
                Reason = null;
                _world.History.Restored(this, restored);
                break;
            }
            catch (RedundancyException e) when (e.Kind == RedundancyErrorKind.Unavailable)
            {
                Status = PrimaryStatus.Unavailable;
                Reason = e.Message;
                await Task.Delay(_world.Config.RestoreRetry, _world.S.Clock);
                Status = PrimaryStatus.Restoring;
            }
            catch (Exception e) when (e is RedundancyException or TimeoutException or SimUnavailableException)
            {
                // Superseded by a newer activation, or the ledger did not answer: this activation gives up; the card
                // manager starts another if none serves.
                Status = PrimaryStatus.Fenced;
                Reason = e.Message;
                _world.Manager.OnPrimaryGone(this);
                return;
            }
        }

        _world.Observe(TickLoopAsync());
        _world.Observe(PublishLoopAsync());
    }

    private async Task TickLoopAsync()
    {
        while (Status == PrimaryStatus.Ready)
        {
            await Task.Delay(_world.Config.Tick, _world.S.Clock);
            await Turn(async () =>
            {
                if (Status != PrimaryStatus.Ready || Session is null)
                {
                    return true;
                }

                await Session.FlushAsync();
                await Session.MaintainAsync();
                AfterChange();
                return true;
            });
        }
    }

    /// <summary>
    /// The forwarding table and the peers: shown only what is visible, read only when no commit is in flight — as the
    /// routing grain's peer pump does. (The flaw <see cref="ProtocolFlaws.EffectsBeforeProtection"/> makes changes visible at once.)
    /// </summary>
    private async Task PublishLoopAsync()
    {
        while (Status == PrimaryStatus.Ready && Session is { } session)
        {
            await Task.Delay(_world.S.Jitter(2, 15), _world.S.Clock);
            if (!_world.Config.Flaws.HasFlag(ProtocolFlaws.EffectsBeforeProtection))
            {
                await session.WhenQuiescentAsync();
            }

            Publish(session);
        }
    }

    private void AfterChange()
    {
        if (Session is { FencedBy: { } fenced })
        {
            Status = PrimaryStatus.Fenced;
            Reason = fenced;
            _world.Manager.OnPrimaryGone(this);
            return;
        }

        if (Session is { } session)
        {
            Publish(session);
        }
    }

    private void Publish(ReplicationSession<RegisterState, RegisterDelta> session)
    {
        if (Status != PrimaryStatus.Ready)
        {
            return;
        }

        foreach (var (key, value) in State.Values)
        {
            if (_keySeq.GetValueOrDefault(key) <= session.VisibleSeq)
            {
                _world.History.Published(this, key, value);
            }
        }
    }

    /// <summary>One request at a time, as a non-reentrant grain runs them.</summary>
    private Task<T> Turn<T>(Func<Task<T>> request)
    {
        var previous = _turn;
        var run = Run(previous, request);
        _turn = run;
        return run;
    }

    private static async Task<T> Run<T>(Task previous, Func<Task<T>> request)
    {
        try
        {
            await previous;
        }
        catch
        {
            // the previous request's failure is its caller's
        }

        return await request();
    }
}

/// <summary>The cards as a simulated primary on <c>own</c> sees them (membership now).</summary>
internal sealed class SimCards(SimWorld world, string own) : IReplicaCards
{
    private readonly List<string> _live = world.LiveCards.Select(c => c.Id).ToList();

    public string? OwnCard => own;

    public bool IsAlive(string cardId) => world.Cards.Any(c => c.Id == cardId && !c.DeclaredDead);

    public bool MayHold(string cardId) => cardId != own && _live.Contains(cardId);

    public string? ChooseCard(IReadOnlyCollection<string> avoid) => _live.FirstOrDefault(c => c != own && !avoid.Contains(c));
}
