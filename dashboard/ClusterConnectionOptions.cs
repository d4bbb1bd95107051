using Redundancy.Orleans.Security;

namespace Redundancy.Orleans.Dashboard;

/// <summary>
/// How the dashboard reaches the chassis as an Orleans client: the same <c>Chassis</c> keys the silo reads,
/// so one set of environment variables (<c>REDUNDANCY_Chassis__...</c>) configures both.
/// </summary>
internal sealed class ClusterConnectionOptions
{
    public const string SectionName = "Chassis";

    /// <summary>Orleans cluster id. Default <c>redundancy</c>.</summary>
    public string ClusterId { get; set; } = "redundancy";

    /// <summary><c>development</c> (connect to the control silo's gateway) or <c>redis</c>.</summary>
    public string Membership { get; set; } = "development";

    /// <summary>Development membership: the control silo's silo port; its gateway is this + 10000. Default 11111.</summary>
    public int BasePort { get; set; } = 11111;

    /// <summary>Redis membership: the StackExchange.Redis connection string.</summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>The control silo's management API, which performs actions. Default <c>http://127.0.0.1:8080</c>.</summary>
    public string ApiUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The management API's bearer token (<c>Chassis:ApiToken</c> of the control card), sent with actions.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Mutual TLS: this client's certificate (PEM with <see cref="TlsKeyPath"/>, or <c>.pfx</c>). Unset: no TLS.</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="TlsCertificatePath"/>.</summary>
    public string? TlsKeyPath { get; set; }

    /// <summary>Password of an encrypted key or <c>.pfx</c>.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>The chassis CA (PEM): the cards' certificates must chain to it. Required with <see cref="TlsCertificatePath"/>.</summary>
    public string? TlsCaPath { get; set; }

    /// <summary>The TLS keys of this section, to validate and load.</summary>
    public ChassisTlsFiles TlsFiles => new(SectionName, TlsCertificatePath, TlsKeyPath, TlsCertificatePassword, TlsCaPath);

    public IEnumerable<string> Validate()
    {
        const string S = SectionName;
        if (Membership is not ("development" or "redis"))
        {
            yield return $"{S}:Membership must be 'development' or 'redis' (got '{Membership}').";
        }

        if (Membership == "redis" && string.IsNullOrWhiteSpace(RedisConnectionString))
        {
            yield return $"{S}:RedisConnectionString is required when {S}:Membership is 'redis'.";
        }

        if (BasePort is < 1024 or > 55535)
        {
            yield return $"{S}:BasePort must be 1024..55535 (got {BasePort}).";
        }

        if (!Uri.TryCreate(ApiUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            yield return $"{S}:ApiUrl must be an absolute http(s) URL (got '{ApiUrl}').";
        }

        foreach (var error in TlsFiles.Validate())
        {
            yield return error;
        }
    }
}
