using Microsoft.Extensions.Options;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.ControlPlane;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.History;

/// <summary>One process's audit history in control-plane storage (key = process name): the newest <see cref="RedundancyOptions.AuditRetention"/> audits.</summary>
internal interface IAuditHistoryGrain : IGrainWithStringKey
{
    /// <summary>Appends audits (numbered here, in order).</summary>
    Task Append(IReadOnlyList<AuditRecord> audits);

    /// <summary>Up to <paramref name="limit"/> audits with an id above <paramref name="after"/>, oldest first.</summary>
    Task<IReadOnlyList<AuditRecord>> Read(long after, int limit);
}

[GenerateSerializer]
internal sealed class AuditHistory
{
    [Id(0)] public long LastId { get; set; }

    [Id(1)] public List<AuditRecord> Audits { get; set; } = [];
}

internal sealed class AuditHistoryGrain(
    [PersistentState("audits", ControlPlaneStorage.Name)] IPersistentState<AuditHistory> history,
    IOptions<RedundancyOptions> options) : Grain, IAuditHistoryGrain
{
    public async Task Append(IReadOnlyList<AuditRecord> audits)
    {
        foreach (var audit in audits)
        {
            history.State.Audits.Add(StorageForm.Of(audit) with { Id = ++history.State.LastId });
        }

        var excess = history.State.Audits.Count - options.Value.AuditRetention;
        if (excess > 0)
        {
            history.State.Audits.RemoveRange(0, excess);
        }

        await history.WriteStateAsync();
    }

    public Task<IReadOnlyList<AuditRecord>> Read(long after, int limit) =>
        Task.FromResult<IReadOnlyList<AuditRecord>>(history.State.Audits.Where(a => a.Id > after).Take(limit).ToList());
}
