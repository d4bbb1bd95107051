namespace Redundancy.Orleans.Monitoring.Telemetry;

/// <summary>Which telemetry exporters a host runs (configuration section <c>Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Telemetry";

    /// <summary>Serve a Prometheus scrape endpoint (<c>/metrics</c>). Default true.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>Export metrics and traces by OTLP to this endpoint (for example <c>http://127.0.0.1:4317</c>); unset: no OTLP.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>OTLP protocol: <c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Configuration errors, each naming the key and the value.</summary>
    public IEnumerable<string> Validate()
    {
        const string S = SectionName;
        if (OtlpEndpoint is not null && (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var otlp) || otlp.Scheme is not ("http" or "https")))
        {
            yield return $"{S}:OtlpEndpoint must be an absolute http(s) URL (got '{OtlpEndpoint}').";
        }

        if (OtlpProtocol is not ("grpc" or "http/protobuf"))
        {
            yield return $"{S}:OtlpProtocol must be 'grpc' or 'http/protobuf' (got '{OtlpProtocol}').";
        }
    }
}
