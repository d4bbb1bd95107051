using System.Net;

namespace Redundancy.Orleans.Monitoring.ChassisView;

/// <summary>The operator dashboard (configuration section <c>Dashboard</c>).</summary>
public sealed class ChassisViewOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Dashboard";

    /// <summary>Serve the dashboard (chassis view and Orleans Dashboard). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Standalone dashboard: where it listens. Default <c>http://127.0.0.1:8090</c>. The embedded chassis
    /// serves the dashboard on its management URL instead.
    /// </summary>
    public string Url { get; set; } = "http://127.0.0.1:8090";

    /// <summary>Allow <see cref="Url"/> on an address other than loopback. Default false.</summary>
    public bool AllowRemote { get; set; }

    /// <summary>Offer operator actions (crash a process, kill a card, add a spare). Default false: read-only.</summary>
    public bool ActionsEnabled { get; set; }

    /// <summary>The bearer token every action must carry; required when <see cref="ActionsEnabled"/> is true.</summary>
    public string? Token { get; set; }

    /// <summary>The management API that performs actions (it owns the card processes). Unset: actions are unavailable.</summary>
    public string? ManagementUrl { get; set; }

    /// <summary>The management API's own bearer token (<c>Chassis:ApiToken</c>), when it requires one. The embedded chassis passes its own.</summary>
    public string? ManagementToken { get; set; }

    /// <summary>How often the view reads the chassis. Default 500 ms.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Smallest accepted token length.</summary>
    public const int MinTokenLength = 16;

    /// <summary>Configuration errors, each naming the key and the value.</summary>
    public IEnumerable<string> Validate()
    {
        const string S = SectionName;
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return $"{S}:Url must be an absolute http(s) URL (got '{Url}').";
        }
        else if (!AllowRemote && !IsLoopback(url))
        {
            yield return $"{S}:Url must be on loopback unless {S}:AllowRemote is true (got '{Url}').";
        }

        if (ActionsEnabled && string.IsNullOrWhiteSpace(Token))
        {
            yield return $"{S}:Token is required when {S}:ActionsEnabled is true (got none).";
        }
        else if (ActionsEnabled && Token!.Length < MinTokenLength)
        {
            yield return $"{S}:Token must be at least {MinTokenLength} characters (got {Token.Length}).";
        }

        if (ManagementUrl is not null && (!Uri.TryCreate(ManagementUrl, UriKind.Absolute, out var m) || m.Scheme is not ("http" or "https")))
        {
            yield return $"{S}:ManagementUrl must be an absolute http(s) URL (got '{ManagementUrl}').";
        }

        if (RefreshInterval < TimeSpan.FromMilliseconds(100) || RefreshInterval > TimeSpan.FromSeconds(30))
        {
            yield return $"{S}:RefreshInterval must be 100 ms..30 s (got {RefreshInterval}).";
        }
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
