using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Replication.Ledger;

namespace Redundancy.Orleans.Tests.Protocol.Simulation;

/// <summary>
/// The process ledger in control-plane storage: the production rules over one durable record on the control silo,
/// reached through the simulated network (so its answers can be late or lost).
/// </summary>
internal sealed class SimLedger(SimWorld world)
{
    public LedgerRecord Record { get; } = new();

    /// <summary>A client for code running on <paramref name="from"/>.</summary>
    public ILedgerClient ClientFor(SimNode from) => new Client(world, this, from);

    private sealed class Client(SimWorld world, SimLedger ledger, SimNode from) : ILedgerClient
    {
        public Task<LedgerTerm> Begin() => world.Send(from, world.Control, () =>
        {
            var term = LedgerRules.Begin(ledger.Record);
            foreach (var older in world.Primaries.Where(p => p.Status == PrimaryStatus.Ready && p.Node.Alive))
            {
                world.History.PrimaryFault(older, $"superseded by ballot {term.Ballot}");
            }

            return Task.FromResult(term);
        });

        public Task<LedgerAnswer> ChangeInSync(long ballot, long expectedVersion, IReadOnlyList<InSyncMember> members, long seq) =>
            world.Send(from, world.Control, () =>
            {
                // The old protocol had no unique ballots: the flaw lets a ballot from the replicas record its set.
                var effective = world.Config.Flaws.HasFlag(ProtocolFlaws.BallotFromReplicas) ? ledger.Record.HighestBallot = Math.Max(ledger.Record.HighestBallot, ballot) : ballot;
                return Task.FromResult(LedgerRules.ChangeInSync(ledger.Record, effective, expectedVersion, members, seq).Answer);
            });

        public Task<long> GetHighestBallot() => world.Send(from, world.Control, () => Task.FromResult(ledger.Record.HighestBallot));

        public Task<LedgerTerm> Read() =>
            world.Send(from, world.Control, () => Task.FromResult(new LedgerTerm(ledger.Record.HighestBallot, ledger.Record.InSync, ledger.Record.RebuildReason)));
    }
}
