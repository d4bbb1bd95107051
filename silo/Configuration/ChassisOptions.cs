using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Silo.Configuration;

/// <summary>How this process takes part in a chassis (configuration section <c>Chassis</c>).</summary>
internal sealed class ChassisOptions
{
    public const string SectionName = "Chassis";

    /// <summary><c>embedded</c> (default): the control silo that also starts the cards; <c>card</c>: one card.</summary>
    public string Mode { get; set; } = "embedded";

    /// <summary>Card mode: the card id.</summary>
    public string CardId { get; set; } = "";

    /// <summary>Card mode: <c>line</c> or <c>spare</c>.</summary>
    public string Role { get; set; } = CardRoles.Line;

    /// <summary>Card mode, line card: the slot.</summary>
    public int? Slot { get; set; }

    /// <summary>Software version this card reports.</summary>
    public string Version { get; set; } = Routing.RoutingBuild.Version;

    /// <summary>Number of slots (line cards) of the embedded chassis. Default 3.</summary>
    public int Slots { get; set; } = 3;

    /// <summary>Spare cards of the embedded chassis. Default 1.</summary>
    public int Spares { get; set; } = 1;

    /// <summary>Routing processes per slot in the default process table. Default 2.</summary>
    public int ProcessesPerSlot { get; set; } = 2;

    /// <summary>
    /// Routes the embedded chassis announces to each process at start (with <see cref="Workload"/> <c>table</c>: the synthetic
    /// table's prefixes). Default 1000; 0: none.
    /// </summary>
    public int RoutesPerProcess { get; set; } = 1000;

    /// <summary>The start-up workload: <c>hosts</c> (host routes, up to 100,000 a process) or <c>table</c> (a synthetic Internet table, up to 2,000,000 prefixes). Default <c>hosts</c>.</summary>
    public string Workload { get; set; } = Workloads.Hosts;

    /// <summary>The synthetic table's seed for the first process; each next process takes the next seed. Default 1.</summary>
    public int WorkloadSeed { get; set; } = 1;

    /// <summary>Management API of the control silo. Default <c>http://127.0.0.1:8080</c>.</summary>
    public string ApiUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// The address this host's own clients use for the API (the embedded chassis's workload and status, the
    /// dashboard's actions): <see cref="ApiUrl"/>, with an any-address host (<c>0.0.0.0</c>, <c>[::]</c>, as compose
    /// binds it) replaced by loopback, because an unspecified address cannot be dialled.
    /// </summary>
    public string LocalApiUrl()
    {
        if (!Uri.TryCreate(ApiUrl, UriKind.Absolute, out var api))
        {
            return ApiUrl; // validation reports it
        }

        var url = new UriBuilder(api);
        url.Host = url.Host switch
        {
            "0.0.0.0" or "*" or "+" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            var host => host,
        };
        return url.Uri.ToString().TrimEnd('/');
    }

    /// <summary>Silo port of the control silo (the development-clustering primary); cards use the next ports. Default 11111.</summary>
    public int BasePort { get; set; } = 11111;

    /// <summary>Card mode: this card's silo port.</summary>
    public int SiloPort { get; set; }

    /// <summary>Orleans cluster id. Default <c>redundancy</c>.</summary>
    public string ClusterId { get; set; } = "redundancy";

    /// <summary>Where the embedded chassis writes each card's log. Default: a folder under the temp directory.</summary>
    public string? LogDirectory { get; set; }

    /// <summary>Membership: <c>development</c> (the control silo holds the table; embedded chassis) or <c>redis</c>.</summary>
    public string Membership { get; set; } = "development";

    /// <summary>Redis membership: the StackExchange.Redis connection string, for example <c>127.0.0.1:6379</c>.</summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>
    /// Redis for the persistent-state baseline processes (kind <c>routing-persistent</c>) that the benchmark
    /// compares against; unset: no such grain storage.
    /// </summary>
    public string? BaselineRedisConnectionString { get; set; }

    /// <summary>
    /// Failure detection: the initial probe timeout. Orleans adapts the effective timeout (and the probe period) to the
    /// answer times it sees, between half and four times this. Probes decide about cards that stop answering (hung,
    /// unreachable) and must tolerate cards that answer slowly because a failover is loading every core: with the
    /// defaults a card that does not answer for about 10 s is declared dead, one that answers within that never is.
    /// Default 5 s (as Orleans).
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Failure detection: probes a card must miss in a row before it is suspected (the last one indirect, through
    /// another card). Default 3 (as Orleans).
    /// </summary>
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// Failure detection: suspicion votes that declare a card dead. A failed indirect probe votes twice (the prober and
    /// the card it probed through), so 3 needs a second card's probes to fail too. Default 3 (Orleans: 2).
    /// </summary>
    public int NumVotesForDeathDeclaration { get; set; } = 3;

    /// <summary>
    /// Failure detection: how long a suspicion vote counts. Votes from busy spells a minute apart must not add up to a
    /// death. Default 20 s (Orleans: 2 min).
    /// </summary>
    public TimeSpan DeathVoteExpirationTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Failure detection: declare a card dead at once when its process is gone — the connection to it ended and its
    /// port refuses connections here and at a second card — instead of waiting for missed probes. Default true.
    /// </summary>
    public bool ClosedPortDetection { get; set; } = true;

    /// <summary>
    /// Failure detection: Orleans' connection liveness check. Off by default: with it on, a hung (SIGSTOP)
    /// card whose sockets stay open is declared dead only after about 60 s instead of about 1.3 s.
    /// </summary>
    public bool EnableConnectionLivenessCheck { get; set; }

    /// <summary>
    /// Card mode: the address of this card's HTTP listener (<c>/healthz</c>, <c>/readyz</c>, and <c>/metrics</c> when
    /// <c>Telemetry:Prometheus</c> is on). Default <c>127.0.0.1</c>; <c>0.0.0.0</c> (or <c>::</c>) listens on every
    /// interface, and the card then publishes its metrics URL with <see cref="AdvertisedHost"/>.
    /// </summary>
    public string HttpAddress { get; set; } = "127.0.0.1";

    /// <summary>Card mode: the port of this card's HTTP listener (see <see cref="HttpAddress"/>). Unset: a free port.</summary>
    public int? HttpPort { get; set; }

    /// <summary>
    /// Fault injection (partitions between cards, slow cards, crash points inside a commit; <c>/api/cards/{id}/partition</c>,
    /// <c>/slow</c>, <c>/api/processes/{name}/crash-point</c>). Default: on for the embedded chassis and the cards it starts,
    /// off for a card of a cluster.
    /// </summary>
    public bool? FaultInjection { get; set; }

    /// <summary>Whether fault injection is on for this process.</summary>
    public bool FaultInjectionEnabled => FaultInjection ?? Mode != "card";

    /// <summary>Card mode: exit when standard input closes (the embedded chassis that started it is gone). Default true.</summary>
    public bool ExitWithParent { get; set; } = true;

    /// <summary>
    /// Other software builds the embedded chassis can start cards at (U1 rolling upgrades): version → directory
    /// holding that build's <c>Redundancy.Orleans.Silo.dll</c>. This build's own version is always available.
    /// Example: <c>--Chassis:Builds:2.0.0=artifacts/builds/v2/bin/Redundancy.Orleans.Silo/Debug/net10.0</c>.
    /// </summary>
    public Dictionary<string, string> Builds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Card mode: the host name or IP address this card advertises to the others (its container's host name in
    /// Docker Compose). Default <c>127.0.0.1</c>. Any other value than a loopback address makes the silo listen on
    /// every interface.
    /// </summary>
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>
    /// Bearer token of the management API. Required when <see cref="ApiUrl"/> is not a loopback address; when set,
    /// every mutating request needs <c>Authorization: Bearer &lt;token&gt;</c>, and off loopback every request does.
    /// </summary>
    public string? ApiToken { get; set; }

    /// <summary>Largest request body the management API accepts, in bytes. Default 8 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Mutual TLS between cards and between clients and cards: this card's certificate, a PKCS#12 file
    /// (<c>.pfx</c>/<c>.p12</c>) or a PEM certificate (with <see cref="TlsKeyPath"/>). Unset: no TLS.
    /// </summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="TlsCertificatePath"/> (PEM certificates only).</summary>
    public string? TlsKeyPath { get; set; }

    /// <summary>Password of the PKCS#12 file or of an encrypted PEM key.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>
    /// The chassis CA (PEM): the only trust anchor for peer certificates, so that the chassis never trusts what the
    /// operating system's store trusts. Required with <see cref="TlsCertificatePath"/>.
    /// </summary>
    public string? TlsCaPath { get; set; }

    /// <summary>The TLS keys of this section, to validate and load.</summary>
    internal Security.ChassisTlsFiles TlsFiles => new(SectionName, TlsCertificatePath, TlsKeyPath, TlsCertificatePassword, TlsCaPath);

    public IEnumerable<string> Validate() => ChassisOptionsValidator.Validate(this);
}

/// <summary>The start-up workloads of the embedded chassis (<c>Chassis:Workload</c>).</summary>
internal static class Workloads
{
    public const string Hosts = "hosts";
    public const string Table = "table";
}
