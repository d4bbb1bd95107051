namespace Redundancy.Orleans.Replication.Ledger;

/// <summary>The control plane's record of one process (key = process name): ballots and the in-sync set.</summary>
internal interface IProcessLedger : IGrainWithStringKey
{
    /// <summary>Takes the next ballot for a new activation of the process.</summary>
    Task<LedgerTerm> Begin();

    /// <summary>Records a new in-sync set (see <see cref="LedgerRules.ChangeInSync"/>).</summary>
    Task<LedgerAnswer> ChangeInSync(long ballot, long expectedVersion, IReadOnlyList<InSyncMember> members, long seq);

    /// <summary>The highest ballot taken so far: a replica that starts empty promises it at once.</summary>
    Task<long> GetHighestBallot();

    /// <summary>Operator release with rebuild: the next activation starts empty and rebuilds from its associated processes.</summary>
    Task RequestRebuild(string reason);

    /// <summary>The whole record, for status and tests.</summary>
    Task<LedgerTerm> Read();
}

/// <summary>The ledger as the protocol code reaches it: a grain in production, a simulated store in the protocol simulator.</summary>
internal interface ILedgerClient
{
    Task<LedgerTerm> Begin();

    Task<LedgerAnswer> ChangeInSync(long ballot, long expectedVersion, IReadOnlyList<InSyncMember> members, long seq);

    Task<long> GetHighestBallot();

    /// <summary>The record as it is (no ballot taken).</summary>
    Task<LedgerTerm> Read();
}

/// <summary>The production ledger client: calls the process's ledger grain.</summary>
internal sealed class GrainLedgerClient(IProcessLedger ledger) : ILedgerClient
{
    public Task<LedgerTerm> Begin() => ledger.Begin();

    public Task<LedgerAnswer> ChangeInSync(long ballot, long expectedVersion, IReadOnlyList<InSyncMember> members, long seq) =>
        ledger.ChangeInSync(ballot, expectedVersion, members, seq);

    public Task<long> GetHighestBallot() => ledger.GetHighestBallot();

    public Task<LedgerTerm> Read() => ledger.Read();
}
