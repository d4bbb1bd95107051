namespace Redundancy.Orleans.Tests.Protocol.Simulation;

/// <summary>
/// The card managers and the chassis manager, as far as one process needs them: a process that crashed restarts at
/// once on its card; a process whose card was declared dead starts on a live card (the spare); a planned move starts it
/// on the target. Nothing in Orleans re-activates a process by itself, so this is what brings it back.
/// </summary>
internal sealed class SimCardManager(SimWorld world)
{
    private int _next;

    public SimNode? Home { get; private set; }

    public void Start()
    {
        Home = world.Cards[0];
        Activate(Home);
    }

    public SimPrimary? Activate(SimNode card)
    {
        if (!card.Alive || card.DeclaredDead)
        {
            return null;
        }

        Home = card;
        var primary = new SimPrimary(world, card, ++_next);
        world.Primaries.Add(primary);
        return primary;
    }

    /// <summary>Fault: a second activation while the first one lives (a grain directory that lost track of it).</summary>
    public void Duplicate()
    {
        var replicaCards = world.Replicas.Values.SelectMany(r => r).Select(r => r.Node.Card).ToHashSet();
        var cards = world.LiveCards.Where(c => c != Home && !replicaCards.Contains(c)).ToList();
        if (cards.Count > 0)
        {
            // The new activation supersedes the old one, whose memory then goes: for tolerance it counts as a lost primary copy.
            world.ProcessCrashes++;
            world.Primaries.Add(new SimPrimary(world, cards[world.S.Random.Next(cards.Count)], ++_next));
        }
    }

    public void OnPrimaryGone(SimPrimary primary) => world.S.After(world.S.Jitter(1, 20), EnsureOne);

    public void OnCardDeclared(SimNode card)
    {
        foreach (var p in world.Primaries.Where(p => p.Node.Card == card && p.Status != PrimaryStatus.Dead))
        {
            world.History.PrimaryFault(p, $"card {card.Id} declared dead");
        }

        if (Home == card)
        {
            Home = null;
        }

        EnsureOne();
    }

    /// <summary>A planned move of the process to another live card; the new activation starts once the old one handed over.</summary>
    public void Move()
    {
        var current = world.Primaries.LastOrDefault(p => p.Status == PrimaryStatus.Ready && p.Node.Alive);
        // A planned move goes to a spare: a card holding none of the process's replicas.
        var replicaCards = world.Replicas.Values.SelectMany(r => r).Where(r => r.Node.Alive).Select(r => r.Node.Card).ToHashSet();
        var targets = world.LiveCards.Where(c => current is not null && c != current.Node.Card && !replicaCards.Contains(c)).ToList();
        if (current is null || targets.Count == 0)
        {
            return;
        }

        var target = targets[world.S.Random.Next(targets.Count)];
        current.Node.Run(async () =>
        {
            var why = await current.HandOverAsync();
            if (why is null)
            {
                world.ProcessCrashes++;
                world.History.PlannedMove(current, target);
                Activate(target);
            }
        });
    }

    /// <summary>Starts an activation when none is live (ready, restoring or retrying its restore).</summary>
    public void EnsureOne()
    {
        // What the card managers can know: membership (a card not yet declared dead counts as live) and the status of
        // activations on their own card (a process crash is seen at once).
        if (world.Primaries.Any(p => !p.Node.Card.DeclaredDead && p.Status is PrimaryStatus.Ready or PrimaryStatus.Restoring or PrimaryStatus.Unavailable))
        {
            return;
        }

        // Placement: the process's card if it lives, else a card holding none of its replicas (a spare), else any.
        var replicaCards = world.Replicas.Values.SelectMany(r => r).Where(r => r.Node.Alive).Select(r => r.Node.Card).ToHashSet();
        var card = Home is { Alive: true, DeclaredDead: false } home ? home
            : world.LiveCards.FirstOrDefault(c => !replicaCards.Contains(c)) ?? world.LiveCards.FirstOrDefault();
        if (card is not null)
        {
            Activate(card);
        }
        else
        {
            world.S.After(TimeSpan.FromMilliseconds(100), EnsureOne);
        }
    }
}
