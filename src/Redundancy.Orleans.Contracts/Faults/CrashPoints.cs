namespace Redundancy.Orleans.Faults;

/// <summary>The named points inside a commit where a crash can be armed.</summary>
public static class CrashPoints
{
    /// <summary>The primary applied the change to its state; no replica has it yet.</summary>
    public const string AfterApply = "after-apply";

    /// <summary>The replicas acknowledged the change; the client has no answer yet.</summary>
    public const string AfterReplicaAck = "after-replica-ack";

    /// <summary>The change was programmed into the card's forwarding table.</summary>
    public const string AfterForwarding = "after-forwarding";

    /// <summary>Every point.</summary>
    public static IReadOnlyList<string> All { get; } = [AfterApply, AfterReplicaAck, AfterForwarding];
}
