using Orleans.Storage;
using Orleans.Placement;
using Redundancy.Orleans.ControlPlane;

namespace Redundancy.Orleans.Replication.Ledger;

/// <summary>
/// The ledger of one process in control-plane storage. Every operation re-reads the record and writes it by
/// compare-and-swap (the storage etag), so a duplicate activation of this grain can never hand out the same ballot
/// twice or overwrite a newer in-sync set: the loser of a race re-reads and tries again.
/// </summary>
[PreferLocalPlacement]
internal sealed class ProcessLedgerGrain([PersistentState("ledger", ControlPlaneStorage.Name)] IPersistentState<LedgerRecord> record)
    : Grain, IProcessLedger
{
    private const int Attempts = 5;

    public Task<LedgerTerm> Begin() => UpdateAsync(r => (LedgerRules.Begin(r), true));

    public Task<LedgerAnswer> ChangeInSync(long ballot, long expectedVersion, IReadOnlyList<InSyncMember> members, long seq) =>
        UpdateAsync(r => LedgerRules.ChangeInSync(r, ballot, expectedVersion, members, seq));

    public async Task<long> GetHighestBallot()
    {
        await record.ReadStateAsync();
        return record.State.HighestBallot;
    }

    public Task RequestRebuild(string reason) => UpdateAsync(r =>
    {
        r.RebuildReason = reason;
        return (true, true);
    });

    public async Task<LedgerTerm> Read()
    {
        await record.ReadStateAsync();
        return new LedgerTerm(record.State.HighestBallot, record.State.InSync, record.State.RebuildReason);
    }

    private async Task<T> UpdateAsync<T>(Func<LedgerRecord, (T Result, bool Changed)> change)
    {
        for (var attempt = 1; ; attempt++)
        {
            await record.ReadStateAsync();
            var (result, changed) = change(record.State);
            if (!changed)
            {
                return result;
            }

            try
            {
                await record.WriteStateAsync();
                return result;
            }
            catch (InconsistentStateException) when (attempt < Attempts)
            {
                // Another activation of this ledger wrote first: read its record and decide again.
            }
        }
    }
}
