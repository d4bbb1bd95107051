using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Redundancy.Orleans.Audit;

namespace Redundancy.Orleans.History;

/// <summary>
/// Audits of this card's restores on their way to the audit history. A restore only queues its audit in memory; a
/// background pump (<see cref="AuditPump"/>) sends the queue to control-plane storage every <see cref="AuditPump.Interval"/>,
/// so that no process waits for storage (nothing on the replication or restore path writes to it). One journal per silo:
/// several silos in one process (test clusters) each send only their own card's audits.
/// </summary>
internal sealed class AuditJournal
{
    private readonly ConcurrentQueue<AuditRecord> _pending = new();
    private const int MaxPending = 10_000;

    /// <summary>Queues the audit of a restore (called where the restore is reported, on the process's card).</summary>
    public void Record(AuditRecord audit)
    {
        // Without a pump (no control-plane storage, as in in-process test clusters) nothing drains the queue: keep it bounded.
        if (_pending.Count < MaxPending)
        {
            _pending.Enqueue(audit);
        }
    }

    /// <summary>Takes everything queued so far.</summary>
    public List<AuditRecord> Drain()
    {
        var taken = new List<AuditRecord>();
        while (_pending.TryDequeue(out var audit))
        {
            taken.Add(audit);
        }

        return taken;
    }
}

/// <summary>Sends this card's queued audits to each process's audit history, off the restore path.</summary>
internal sealed class AuditPump(IGrainFactory grains, AuditJournal journal, ChassisHistory history, Hosting.CardIdentity card, ILogger<AuditPump> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public void Participate(ISiloLifecycle lifecycle)
    {
        if (history.Enabled)
        {
            new PeriodicSiloLoop(nameof(AuditPump), Interval, _ => SendAsync()).Subscribe(lifecycle, afterStop: SendAsync);
        }
    }

    private async Task SendAsync()
    {
        foreach (var process in journal.Drain().GroupBy(a => a.Process, StringComparer.Ordinal))
        {
            try
            {
                // One silo per card process: the audits queued here are this card's.
                await grains.GetGrain<IAuditHistoryGrain>(process.Key).Append([.. process.Select(a => a with { CardId = card.CardId })]);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                HistoryLog.AuditsNotRecorded(logger, process.Count(), process.Key, e.Message);
            }
        }
    }
}
