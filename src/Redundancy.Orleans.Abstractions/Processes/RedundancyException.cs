namespace Redundancy.Orleans.Processes;

/// <summary>Why an operation on a redundant process was refused.</summary>
public enum RedundancyErrorKind
{
    /// <summary>Bad input: nothing changed.</summary>
    InvalidInput = 0,

    /// <summary>No such process.</summary>
    UnknownProcess = 1,

    /// <summary>The process is quarantined, fenced or not ready.</summary>
    NotServing = 2,

    /// <summary>The chassis cannot do it now (no card for the slot, and so on).</summary>
    Unavailable = 3,

    /// <summary>
    /// The call reached an activation that just crashed and is going away; the process is restarting.
    /// Retry: the next call reaches the restored process.
    /// </summary>
    Restarting = 4,

    /// <summary>Someone else changed the thing first (for example an upgrade campaign record): reload and retry.</summary>
    Conflict = 5,

    /// <summary>
    /// A write that could not be protected was refused before it was sent anywhere (I2): nothing changed — not the
    /// primary, the replicas, the forwarding table or the peers. Safe to retry once the process is protected again.
    /// </summary>
    NotProtected = 6,

    /// <summary>
    /// The write was sent to replicas but its protection could not be confirmed (a replica failed, a newer primary
    /// took over): it may or may not survive. Treat it as indeterminate; read back before relying on either outcome.
    /// </summary>
    OutcomeUnknown = 7,
}

/// <summary>An operation was refused with a clear reason; state is unchanged.</summary>
[GenerateSerializer]
public sealed class RedundancyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RedundancyException(RedundancyErrorKind kind, string message) : base(message) => Kind = kind;

    /// <summary>Why.</summary>
    [Id(0)] public RedundancyErrorKind Kind { get; }
}
