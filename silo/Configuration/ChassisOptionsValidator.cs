using Redundancy.Orleans.Routing;
using System.Net;
using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Silo.Configuration;

/// <summary>
/// Checks <see cref="ChassisOptions"/> before anything starts; every message names the key and the value, so a
/// misconfigured card refuses to start loudly instead of joining the chassis half-broken.
/// </summary>
internal static class ChassisOptionsValidator
{
    private const string S = ChassisOptions.SectionName;

    /// <summary>The largest first seed: each process takes the next one (at most 64 slots × 16 processes).</summary>
    private const int MaxWorkloadSeed = int.MaxValue - (64 * 16);

    public static IEnumerable<string> Validate(ChassisOptions o)
    {
        if (o.Mode is not ("embedded" or "card"))
        {
            yield return $"{S}:Mode must be 'embedded' or 'card' (got '{o.Mode}').";
        }

        foreach (var error in Ranges(o).Concat(Card(o)).Concat(Api(o)).Concat(o.TlsFiles.Validate()).Concat(Builds(o)))
        {
            yield return error;
        }

        if (o.HttpPort is < 1024 or > 65535)
        {
            yield return $"{S}:HttpPort must be 1024..65535 (got {o.HttpPort}).";
        }

        if (!IPAddress.TryParse(o.HttpAddress, out _))
        {
            yield return $"{S}:HttpAddress must be an IP address, for example 127.0.0.1 or 0.0.0.0 (got '{o.HttpAddress}').";
        }

        if (o.Membership is not ("development" or "redis"))
        {
            yield return $"{S}:Membership must be 'development' or 'redis' (got '{o.Membership}').";
        }

        if (o.Membership == "redis" && string.IsNullOrWhiteSpace(o.RedisConnectionString))
        {
            yield return $"{S}:RedisConnectionString is required when {S}:Membership is 'redis'.";
        }

        if (o.Mode == "card" && o.Membership == "development" && o.Role == CardRoles.Control)
        {
            yield return $"{S}:Role 'control' in card mode needs {S}:Membership 'redis' (with development membership the embedded chassis is the control silo).";
        }
    }

    /// <summary>U1: every configured build must exist, so an upgrade cannot fail half-way on a typo.</summary>
    private static IEnumerable<string> Builds(ChassisOptions o)
    {
        foreach (var (version, directory) in o.Builds)
        {
            if (!File.Exists(Path.Combine(directory, Embedded.CardProcess.EntryAssembly)))
            {
                yield return $"{S}:Builds:{version} must be a directory holding {Embedded.CardProcess.EntryAssembly} (got '{directory}').";
            }
        }
    }

    private static IEnumerable<string> Ranges(ChassisOptions o)
    {
        if (o.Slots is < 1 or > 64)
        {
            yield return $"{S}:Slots must be 1..64 (got {o.Slots}).";
        }

        if (o.Spares is < 0 or > 16)
        {
            yield return $"{S}:Spares must be 0..16 (got {o.Spares}).";
        }

        if (o.ProcessesPerSlot is < 1 or > 16)
        {
            yield return $"{S}:ProcessesPerSlot must be 1..16 (got {o.ProcessesPerSlot}).";
        }

        if (o.Workload is not (Workloads.Hosts or Workloads.Table))
        {
            yield return $"{S}:Workload must be '{Workloads.Hosts}' or '{Workloads.Table}' (got '{o.Workload}').";
        }
        else if (o.Workload == Workloads.Hosts && o.RoutesPerProcess is < 0 or > 100_000)
        {
            yield return $"{S}:RoutesPerProcess must be 0..100000 (got {o.RoutesPerProcess}); {S}:Workload=table loads up to {SyntheticTableSizes.MaxPrefixes}.";
        }
        else if (o.RoutesPerProcess is < 0 or > SyntheticTableSizes.MaxPrefixes)
        {
            yield return $"{S}:RoutesPerProcess must be 0..{SyntheticTableSizes.MaxPrefixes} with {S}:Workload=table (got {o.RoutesPerProcess}).";
        }

        if (o.WorkloadSeed is < 0 or > MaxWorkloadSeed)
        {
            yield return $"{S}:WorkloadSeed must be 0..{MaxWorkloadSeed} (got {o.WorkloadSeed}).";
        }

        if (o.BasePort is < 1024 or > 60000)
        {
            yield return $"{S}:BasePort must be 1024..60000 (got {o.BasePort}).";
        }

        if (o.ProbeTimeout < TimeSpan.FromMilliseconds(100) || o.ProbeTimeout > TimeSpan.FromMinutes(1))
        {
            yield return $"{S}:ProbeTimeout must be 100 ms..1 min (got {o.ProbeTimeout}).";
        }

        if (o.NumMissedProbesLimit is < 1 or > 10)
        {
            yield return $"{S}:NumMissedProbesLimit must be 1..10 (got {o.NumMissedProbesLimit}).";
        }

        // Orleans has every silo probe up to 10 others: more votes than probers could never be cast.
        if (o.NumVotesForDeathDeclaration is < 1 or > 10)
        {
            yield return $"{S}:NumVotesForDeathDeclaration must be 1..10 (got {o.NumVotesForDeathDeclaration}).";
        }

        // Two cards' votes must both still count when the second is cast, a probe cycle or more after the first.
        if (o.DeathVoteExpirationTimeout < TimeSpan.FromSeconds(1) || o.DeathVoteExpirationTimeout > TimeSpan.FromHours(1))
        {
            yield return $"{S}:DeathVoteExpirationTimeout must be 1 s..1 h (got {o.DeathVoteExpirationTimeout}).";
        }
        else if (o.DeathVoteExpirationTimeout < o.ProbeTimeout * 2)
        {
            yield return $"{S}:DeathVoteExpirationTimeout ({o.DeathVoteExpirationTimeout}) must be at least twice {S}:ProbeTimeout ({o.ProbeTimeout}): votes would expire before a second card's probes could agree.";
        }

        if (o.MaxRequestBodyBytes is < 1024 or > 1L << 30)
        {
            yield return $"{S}:MaxRequestBodyBytes must be 1024..1073741824 (got {o.MaxRequestBodyBytes}).";
        }
    }

    private static IEnumerable<string> Card(ChassisOptions o)
    {
        if (o.Mode != "card")
        {
            yield break;
        }

        if (o.SiloPort is < 1024 or > 55535)
        {
            // The gateway listens on SiloPort + 10000.
            yield return $"{S}:SiloPort must be 1024..55535 in card mode (got {o.SiloPort}).";
        }

        if (!CardRoles.IsKnown(o.Role))
        {
            yield return $"{S}:Role must be '{CardRoles.Line}', '{CardRoles.Spare}' or '{CardRoles.Control}' (got '{o.Role}').";
        }
        else if (o.Role == CardRoles.Line && (o.Slot is null || o.Slot < 1 || o.Slot > o.Slots))
        {
            yield return $"{S}:Slot must be 1..{o.Slots} ({S}:Slots) for a line card (got {o.Slot?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}).";
        }
        else if (o.Role != CardRoles.Line && o.Slot is not null)
        {
            yield return $"{S}:Slot must be unset for a '{o.Role}' card (got {o.Slot}).";
        }

        if (string.IsNullOrWhiteSpace(o.AdvertisedHost) || Uri.CheckHostName(o.AdvertisedHost) == UriHostNameType.Unknown)
        {
            yield return $"{S}:AdvertisedHost must be a host name or an IP address (got '{o.AdvertisedHost}').";
        }
    }

    private static IEnumerable<string> Api(ChassisOptions o)
    {
        if (!Uri.TryCreate(o.ApiUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            yield return $"{S}:ApiUrl must be an absolute http(s) URL (got '{o.ApiUrl}').";
            yield break;
        }

        if (o.ApiToken is { } token && (token.Length < 16 || token.Any(char.IsWhiteSpace)))
        {
            yield return $"{S}:ApiToken must be at least 16 characters without white space (got {token.Length} characters).";
        }

        var hostsApi = o.Mode == "embedded" || o.Role == CardRoles.Control;
        if (hostsApi && string.IsNullOrEmpty(o.ApiToken) && !IsLoopback(api))
        {
            yield return $"{S}:ApiToken is required when {S}:ApiUrl is not a loopback address (got '{o.ApiUrl}'): anyone on the network could kill cards.";
        }
    }

    /// <summary>True when the URL's host is a loopback name or address (the API is then reachable only from this host).</summary>
    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
