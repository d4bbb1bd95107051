namespace Redundancy.Orleans.Processes;

/// <summary>
/// The <c>type</c> of the management API's problem details for the answers a client must tell apart (RFC 9457). Each is a
/// relative URI; <c>GET</c> on it returns its explanation.
/// </summary>
public static class ProblemTypes
{
    /// <summary>Refused before it was sent anywhere: nothing changed anywhere; safe to retry once protected (HTTP 503).</summary>
    public const string NotProtected = "/problems/not-protected";

    /// <summary>Sent, but its protection could not be confirmed: it may or may not survive; read back before relying on it (HTTP 504).</summary>
    public const string OutcomeUnknown = "/problems/outcome-unknown";

    /// <summary>The process cannot serve now (restarting, restoring, no card for its slot); nothing changed (HTTP 503).</summary>
    public const string Unavailable = "/problems/unavailable";

    /// <summary>The explanation of each type, served at its URI.</summary>
    public static IReadOnlyDictionary<string, string> Explanations { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [NotProtected] = "The write was refused because the process could not protect it (its in-sync set is below the minimum and was not restored in time, or no card can hold a replica). It was decided before the write was sent anywhere: nothing changed on the primary, the replicas, the forwarding table or the peers. Retry once the process is protected again.",
        [OutcomeUnknown] = "The write was sent to replicas but its protection could not be confirmed (a replica failed and the process was not re-protected in time, or a newer primary took over). It may or may not survive. Treat it as indeterminate: read it back before relying on either outcome. Retrying an idempotent write (a route announcement or withdrawal) is safe.",
        [Unavailable] = "The process or the chassis cannot serve the request right now (restarting, restoring, no card serves its slot, or its in-sync copies cannot be reached). Nothing changed.",
    };
}
