using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.ManagementApi;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing.Forwarding;
using Redundancy.Orleans.Routing.ManagementApi;
using Redundancy.Orleans.Routing.Configuration;

namespace Redundancy.Orleans.Routing.Hosting;

/// <summary>Adds the routing reference application to a redundant silo.</summary>
public static class RoutingSiloBuilderExtensions
{
    /// <summary>The process kind of routing processes in the process table: the routing grain's grain type.</summary>
    public const string Kind = "routing";

    /// <summary>The process kind (grain type) of the persistent-state baseline (benchmarks only).</summary>
    public const string PersistentBaselineKind = "routing-persistent";

    /// <summary>The grain storage the persistent-state baseline uses; the host registers it (Redis in the benchmark).</summary>
    public const string BaselineStorageName = "routing-baseline";

    /// <summary>Adds the routing application's options and the card's forwarding table (its grains are found by their grain type).</summary>
    public static ISiloBuilder AddRoutingApplication(this ISiloBuilder builder, Action<RoutingOptions>? configure = null)
    {
        var options = builder.Services.AddOptions<RoutingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.MaxBatchSize is >= 1 and <= 1_000_000, $"{RoutingOptions.SectionName}:MaxBatchSize must be 1..1000000.").ValidateOnStart();
        builder.Services.AddSingleton<ForwardingTable>();
        builder.Services.AddSingleton<IManagementApiEndpoints, RoutingEndpoints>();
        return builder;
    }
}
