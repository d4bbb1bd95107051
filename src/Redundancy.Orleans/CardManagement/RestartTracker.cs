using Microsoft.Extensions.Options;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.CardManagement;

/// <summary>
/// Restart-intensity limit per process on this card (M6, M9): more than <c>MaxRestarts</c> restarts
/// within <c>RestartWindow</c> quarantines the process instead of restarting it forever.
/// </summary>
internal sealed class RestartTracker(IOptions<RedundancyOptions> options, TimeProvider time, Diagnostics.RedundancyMetrics metrics)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Counts a restart; returns true when this restart crossed the limit and the process is now quarantined.</summary>
    public bool RecordRestart(string process, string reason)
    {
        var now = time.GetUtcNow();
        metrics.Restarted(process);
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
                var length = TimeSpan.FromTicks(Math.Min(options.Value.QuarantineDuration.Ticks << Math.Min(e.Quarantines, 16), TimeSpan.FromHours(24).Ticks));
                e.Quarantines++;
                e.QuarantinedUntil = now + length;
                e.Quarantine = $"{e.Recent.Count} restarts within {options.Value.RestartWindow.TotalSeconds:0.#} s (limit {options.Value.MaxRestarts}); last cause: {reason}; tried again at {e.QuarantinedUntil:HH:mm:ss} UTC unless released";
                metrics.Quarantined(process);
                return true;
            }

            return false;
        }
    }

    /// <summary>True while the process is quarantined; a quarantine whose time is up lifts here (the process is tried again).</summary>
    public bool IsQuarantined(string process, out string reason)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(process, out var e) && e.Quarantine is not null && time.GetUtcNow() >= e.QuarantinedUntil)
            {
                e.Quarantine = null;
                e.Recent.Clear();
            }

            reason = e?.Quarantine ?? "";
            return reason.Length > 0;
        }
    }

    /// <summary>How long to wait before restarting a process again: doubling with its recent restarts (backoff), up to 5 s.</summary>
    public TimeSpan Backoff(string process)
    {
        lock (_lock)
        {
            var recent = _entries.TryGetValue(process, out var e) ? e.Recent.Count : 0;
            return recent == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(options.Value.RestartBackoff.Ticks << Math.Min(recent - 1, 16), TimeSpan.FromSeconds(5).Ticks));
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
            e.Quarantines = 0;
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
        public int Quarantines;
        public DateTimeOffset QuarantinedUntil;
        public string? Quarantine;
    }
}
