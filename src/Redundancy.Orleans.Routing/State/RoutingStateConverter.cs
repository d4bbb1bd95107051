using Microsoft.Extensions.DependencyInjection;
using Redundancy.Orleans.Upgrade;

namespace Redundancy.Orleans.Routing.State;

/// <summary>
/// Wire form of <see cref="RoutingState"/>: flat route arrays instead of nested dictionaries. A snapshot of
/// 10,000 routes otherwise carries 10,000 inner dictionaries, each with its comparer, and restore time is
/// mostly that (measured by the benchmark's "restore in process"). Ids are never renumbered.
/// Versioned (U1): <see cref="Schema"/> 1 (0 on the wire: written before schemas were versioned) carries
/// route records in <see cref="Routes"/>; schema 2 carries them packed (<see cref="RoutePacking"/>), schema 3 packed
/// with a next-hop table. Peers' routes are packed as in schema 2 in both.
/// </summary>
[GenerateSerializer]
public struct RoutingStateSurrogate
{
    /// <summary>Every path of the RIB (schema 1).</summary>
    [Id(0)] public Route[] Routes;

    /// <summary>What each peer advertised.</summary>
    [Id(1)] public PeerRoutesSurrogate[] Peers;

    /// <summary>The schema this snapshot is written in; 0 means 1.</summary>
    [Id(2)] public int Schema;

    /// <summary>Every path of the RIB, packed (schema 2; schema 3 with a next-hop table).</summary>
    [Id(3)] public byte[] PackedRoutes;
}

/// <summary>Wire form of what one peer advertised.</summary>
[GenerateSerializer]
public struct PeerRoutesSurrogate
{
    /// <summary>The peer.</summary>
    [Id(0)] public string Peer;

    /// <summary>Its epoch.</summary>
    [Id(1)] public long Epoch;

    /// <summary>Its seq.</summary>
    [Id(2)] public long Seq;

    /// <summary>Its routes (schema 1).</summary>
    [Id(3)] public Route[] Routes;

    /// <summary>Its routes, packed (schema 2 and 3).</summary>
    [Id(4)] public byte[] PackedRoutes;
}

/// <summary>
/// Converts <see cref="RoutingState"/> to and from its wire form. Writes the schema every live card reads
/// (<see cref="StateSchemaNegotiator"/>); reads the schemas this build supports (<see cref="RoutingBuild"/>)
/// and refuses others with <see cref="StateSchemaException"/>.
/// </summary>
[RegisterConverter]
public sealed class RoutingStateConverter(IServiceProvider services) : IConverter<RoutingState, RoutingStateSurrogate>
{
    private readonly StateSchemaNegotiator? _negotiator = services.GetService<StateSchemaNegotiator>();

    /// <inheritdoc />
    public RoutingState ConvertFromSurrogate(in RoutingStateSurrogate surrogate) =>
        RoutingSchemas.Decode(surrogate, RoutingBuild.SchemaMin, RoutingBuild.SchemaMax);

    /// <inheritdoc />
    public RoutingStateSurrogate ConvertToSurrogate(in RoutingState value) =>
        RoutingSchemas.Encode(value, _negotiator?.WriteVersion() ?? RoutingBuild.SchemaMax);
}
