using System.Diagnostics;
using Redundancy.Orleans.Chassis;

namespace Redundancy.Orleans.Diagnostics;

/// <summary>
/// A failover's steps as <see cref="DiagnosticListener"/> events of the listener <see cref="ListenerName"/>, in the process
/// of the silo where each step happens: a test or a host waits on them (subscribe through
/// <see cref="DiagnosticListener.AllListeners"/>) instead of polling. Payloads name the card, so that several silos in
/// one process can be told apart.
/// </summary>
public static class FailoverDiagnostics
{
    /// <summary>The listener's name.</summary>
    public const string ListenerName = "Redundancy.Orleans.Failover";

    /// <summary>The chassis manager moved a slot (a card died, or a spare got a degraded slot back): a <see cref="ChassisEvent"/>, committed.</summary>
    public const string FailoverStarted = "FailoverStarted";

    /// <summary>A process restored, audited and serves (after an activation, a crash, a failover or a move): a <see cref="ProcessReadyReport"/>.</summary>
    public const string ProcessReady = "ProcessReady";

    /// <summary>Every process of the moved slot is ready: the <see cref="ChassisEvent"/> with its timings, committed.</summary>
    public const string FailoverCompleted = "FailoverCompleted";

    internal static readonly DiagnosticListener Listener = new(ListenerName);

    internal static void Write(string name, object payload)
    {
        if (Listener.IsEnabled(name))
        {
            Listener.Write(name, payload);
        }
    }
}
