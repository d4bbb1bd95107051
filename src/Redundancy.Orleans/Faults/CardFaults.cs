using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Faults;

/// <summary>
/// This card's injected faults. Present on every card; effective only where <c>AddFaultInjection()</c> enabled it (the
/// embedded chassis, tests): a production card refuses every injection.
/// </summary>
internal sealed class CardFaults(ILogger<CardFaults> logger, IOptions<FaultInjectionOptions> options)
{
    private readonly ConcurrentDictionary<string, byte> _partitioned = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _crashPoints = new(StringComparer.Ordinal);

    /// <summary>True where fault injection was enabled.</summary>
    public bool Enabled => options.Value.Enabled;

    /// <summary>Delay added to every incoming grain call.</summary>
    public TimeSpan Delay { get; private set; }

    internal void Partition(string card, bool blocked)
    {
        EnsureEnabled();
        if (blocked)
        {
            _partitioned[card] = 0;
        }
        else
        {
            _partitioned.TryRemove(card, out _);
        }
    }

    internal void Slow(TimeSpan delay)
    {
        EnsureEnabled();
        Delay = delay;
    }

    internal void ArmCrashPoint(string process, string point)
    {
        EnsureEnabled();
        _crashPoints[process] = point;
    }

    /// <summary>True when calls from <paramref name="card"/> are blocked here.</summary>
    internal bool IsPartitionedFrom(string card) => !_partitioned.IsEmpty && _partitioned.ContainsKey(card);

    /// <summary>
    /// A process passes a named point of a commit: if a crash is armed there, the card process kills itself at once
    /// (SIGKILL: no shutdown, no flush, no goodbye to the membership), exactly as a real crash there would.
    /// </summary>
    public void Hit(string process, string point)
    {
        if (!_crashPoints.IsEmpty && _crashPoints.TryGetValue(process, out var armed) && armed == point)
        {
            Log.CrashPointHit(logger, process, point);
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }
    }

    internal CardFaultState State() => new()
    {
        PartitionedFrom = [.. _partitioned.Keys.Order(StringComparer.Ordinal)],
        DelayMs = (int)Delay.TotalMilliseconds,
        CrashPoints = new Dictionary<string, string>(_crashPoints, StringComparer.Ordinal),
    };

    private void EnsureEnabled()
    {
        if (!Enabled)
        {
            throw new NotSupportedException("Fault injection is off on this card (it is on in the embedded chassis; a card enables it with Chassis:FaultInjection=true).");
        }
    }
}

/// <summary>Whether this card accepts injected faults; set by <c>AddFaultInjection()</c>.</summary>
internal sealed class FaultInjectionOptions
{
    /// <summary>Default false: a production card refuses every injection.</summary>
    public bool Enabled { get; set; }
}
