using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Replication.Ledger;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Upgrade;

/// <summary>
/// Upgrade verification's read of a process's replicated state (U1): the copy a restore would take — the freshest member
/// of the latest in-sync set by <c>(data ballot, seq)</c> — fetched to this card, decoded by this build, without promising
/// any ballot (the serving primary is not disturbed).
/// </summary>
internal static class ShadowRead
{
    /// <summary>The copy a restore would take now, or null with the reasons.</summary>
    public static async Task<(HotStateSnapshot<TState>? Copy, IReadOnlyList<string> Errors)> FreshestAsync<TState, TDelta>(
        IGrainFactory grains, RedundancyContext context, ProcessDefinition definition)
        where TState : IHotState<TDelta>, new()
    {
        var errors = new List<string>();
        var timeout = context.Options.RestoreTimeout;
        var record = await grains.GetGrain<IProcessLedger>(definition.Name).Read().WaitAsync(timeout);
        var copies = new List<HotStateSnapshot<TState>>();
        foreach (var member in record.InSync.Members)
        {
            try
            {
                var replica = grains.GetGrain<IHotStateReplica<TState, TDelta>>(ReplicaKeys.Format(definition.Name, member.Index));
                var (copy, _) = await SnapshotChunks.ReadCopyAsync(replica, long.MaxValue, context.Options.SnapshotChunkBytes, context.Serializer, timeout, context.Time);
                if (copy.CopyId == member.CopyId)
                {
                    copies.Add(copy);
                }
                else
                {
                    errors.Add($"replica {member.Index}: holds copy {copy.CopyId}, not the in-sync copy {member.CopyId}");
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                errors.Add($"replica {member.Index}: {Describe(e)}");
            }
        }

        if (record.InSync.Members.Count == 0)
        {
            errors.Add("the in-sync set has no members");
        }

        return (CopyOrder.Freshest(copies, c => c.Ballot, c => c.Seq).FirstOrDefault(), errors);
    }

    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (!messages.Contains(x.Message))
            {
                messages.Add(x.Message);
            }
        }

        return string.Join(" <- ", messages);
    }
}
