namespace Redundancy.Orleans.ManagementApi.Configuration;

/// <summary>How the management API guards itself and names the host's settings in its refusals.</summary>
public sealed class ManagementApiOptions
{
    /// <summary>The setting a token refusal names when the host does not say which of its settings holds the token.</summary>
    public const string DefaultTokenSetting = "ManagementApi:Token";

    /// <summary>The setting a 413 names when the host does not say which of its settings limits a request body.</summary>
    public const string DefaultBodyLimitSetting = "Kestrel:Limits:MaxRequestBodySize";

    /// <summary>The bearer token every mutating request must carry; null lets every request pass.</summary>
    public string? Token { get; set; }

    /// <summary>Reads need the token too (a host whose API is reachable off loopback sets this).</summary>
    public bool TokenRequiredForReads { get; set; }

    /// <summary>The host setting that holds <see cref="Token"/>, named in a 401's detail.</summary>
    public string TokenSetting { get; set; } = DefaultTokenSetting;

    /// <summary>The host setting that limits a request body, named in a 413's detail.</summary>
    public string BodyLimitSetting { get; set; } = DefaultBodyLimitSetting;
}
