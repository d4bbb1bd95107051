namespace Redundancy.Orleans.Routing;

/// <summary>One path to a prefix. Canonical text forms only (see <see cref="RouteValidator"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record Route
{
    /// <summary>IPv4 or IPv6 prefix in canonical CIDR form, for example <c>10.0.0.0/24</c> or <c>2001:db8::/32</c>.</summary>
    [Id(0)] public string Prefix { get; set; } = "";

    /// <summary>Next hop address of the prefix's family.</summary>
    [Id(1)] public string NextHop { get; set; } = "";

    /// <summary>Metric, 0..16,777,215; lower is better.</summary>
    [Id(2)] public int Metric { get; set; }

    /// <summary>Where the route came from (<see cref="RouteOrigins"/>); decides preference before the metric. Default <c>static</c>.</summary>
    [Id(3)] public string Origin { get; set; } = RouteOrigins.Static;
}

/// <summary>Known route origins and their administrative distance (lower wins).</summary>
public static class RouteOrigins
{
    /// <summary>Directly connected.</summary>
    public const string Connected = "connected";

    /// <summary>Configured static route (the default).</summary>
    public const string Static = "static";

    /// <summary>External BGP.</summary>
    public const string Ebgp = "ebgp";

    /// <summary>OSPF.</summary>
    public const string Ospf = "ospf";

    /// <summary>IS-IS.</summary>
    public const string Isis = "isis";

    /// <summary>RIP.</summary>
    public const string Rip = "rip";

    /// <summary>Internal BGP.</summary>
    public const string Ibgp = "ibgp";

    private static readonly Dictionary<string, int> Distances = new(StringComparer.Ordinal)
    {
        [Connected] = 0, [Static] = 1, [Ebgp] = 20, [Ospf] = 110, [Isis] = 115, [Rip] = 120, [Ibgp] = 200,
    };

    /// <summary>The known origins.</summary>
    public static IReadOnlyCollection<string> All => Distances.Keys;

    /// <summary>Administrative distance of an origin, or null when unknown.</summary>
    public static int? Distance(string origin) => Distances.TryGetValue(origin, out var d) ? d : null;
}
