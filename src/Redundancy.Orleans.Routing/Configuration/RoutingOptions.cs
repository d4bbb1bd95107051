namespace Redundancy.Orleans.Routing.Configuration;

/// <summary>Options of the routing reference application.</summary>
public sealed class RoutingOptions
{
    /// <summary>Configuration section: <c>Routing</c>.</summary>
    public const string SectionName = "Routing";

    /// <summary>Largest batch (announcements plus withdrawals). Default 10,000; 1..1,000,000.</summary>
    public int MaxBatchSize { get; set; } = RouteValidator.DefaultMaxBatch;
}
