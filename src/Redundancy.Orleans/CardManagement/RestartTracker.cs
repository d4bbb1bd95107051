using Microsoft.Extensions.Options;
using Redundancy.Orleans.Hosting;

namespace Redundancy.Orleans.CardManagement;

/// <summary>
/// Restart-intensity limit per process on this card (M6, M9): more than <c>MaxRestarts</c> restarts
/// within <c>RestartWindow</c> quarantines the process instead of restarting it forever.
/// </summary>
internal sealed class RestartTracker(IOptions<RedundancyOptions> options, TimeProvider time)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Counts a restart; returns true when this restart crossed the limit and the process is now quarantined.</summary>
    public bool RecordRestart(string process, string reason)
    {
        var now = time.GetUtcNow();
        Diagnostics.RedundancyMetrics.Restarted(process);
        lock (_lock)
        {
            var e = Get(process);
            e.Total++;
            e.Recent.Enqueue(now);
            while (e.Recent.Count > 0 && now - e.Recent.Peek() > options.Value.RestartWindow)
            {
                e.Recent.Dequeue();
            }

            if (e.Quarantine is null && e.Recent.Count > options.Value.MaxRestarts)
            {
                e.Quarantine = $"{e.Recent.Count} restarts within {options.Value.RestartWindow.TotalSeconds:0.#} s (limit {options.Value.MaxRestarts}); last cause: {reason}";
                Diagnostics.RedundancyMetrics.Quarantined(process);
                return true;
            }

            return false;
        }
    }

    public bool IsQuarantined(string process, out string reason)
    {
        lock (_lock)
        {
            reason = _entries.TryGetValue(process, out var e) ? e.Quarantine ?? "" : "";
            return reason.Length > 0;
        }
    }

    public int Restarts(string process)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(process, out var e) ? e.Total : 0;
        }
    }

    /// <summary>Operator action: lift the quarantine and forget recent restarts.</summary>
    public bool Release(string process)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(process, out var e) || e.Quarantine is null)
            {
                return false;
            }

            e.Quarantine = null;
            e.Recent.Clear();
            return true;
        }
    }

    private Entry Get(string process)
    {
        if (!_entries.TryGetValue(process, out var e))
        {
            _entries[process] = e = new Entry();
        }

        return e;
    }

    private sealed class Entry
    {
        public readonly Queue<DateTimeOffset> Recent = new();
        public int Total;
        public string? Quarantine;
    }
}
