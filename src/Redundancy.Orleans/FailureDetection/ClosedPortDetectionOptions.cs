namespace Redundancy.Orleans.Configuration;

/// <summary>
/// Closed-port evidence (<see cref="Hosting.FailureDetectionSiloBuilderExtensions.AddClosedPortDetection"/>): when a card's
/// connection to another silo ends and nothing listens at that silo's endpoint any more (the connection is refused:
/// its process is gone), and a second card finds the same, the silo is declared dead at once instead of after the
/// missed probes. A slow answer is never evidence: a busy card is left to Orleans' probes.
/// </summary>
public sealed class ClosedPortDetectionOptions
{
    /// <summary>The configuration section the silo host binds (<c>ClosedPortDetection</c>).</summary>
    public const string SectionName = "ClosedPortDetection";

    /// <summary>
    /// How long a check may wait for the TCP handshake with the silo's endpoint. Default 500 ms. Only a refusal
    /// counts; a check that times out (a hung host, a lost route) proves nothing and leaves the silo to the probes.
    /// </summary>
    public TimeSpan PortCheckTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Other cards asked at once to check the port too; one agreeing is enough. Default 2.</summary>
    public int Witnesses { get; set; } = 2;

    /// <summary>How long to wait for the witnesses' answers. Default 1 s.</summary>
    public TimeSpan WitnessTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Checks after the connection ended, spaced by <see cref="PortCheckTimeout"/>, before the silo is left to the
    /// probes (no witness could confirm yet). Default 3.
    /// </summary>
    public int Attempts { get; set; } = 3;
}
