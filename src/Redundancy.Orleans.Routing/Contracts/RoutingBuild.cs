namespace Redundancy.Orleans.Routing;

/// <summary>
/// What this build of the routing application is (U1). Chosen at build time with <c>-p:RoutingAppVersion=N</c>,
/// so that the rolling-upgrade tests run real, different builds side by side. Every build carries the code of
/// every schema (so converters are tested in one place); what differs is which schemas it reads and writes and
/// the grain interface version it declares.
/// </summary>
public static class RoutingBuild
{
#if ROUTING_APP_V3
    /// <summary>Software version.</summary>
    public const string Version = "3.0.0";

    /// <summary>Oldest hot-state schema this build reads (3.0.0 dropped schemas 1 and 2).</summary>
    public const int SchemaMin = 3;

    /// <summary>Newest hot-state schema this build reads and writes.</summary>
    public const int SchemaMax = 3;

    /// <summary><c>[Version]</c> of <see cref="IRoutingProcess"/>.</summary>
    public const ushort InterfaceVersion = 2;
#elif ROUTING_APP_V2
    /// <summary>Software version.</summary>
    public const string Version = "2.0.0";

    /// <summary>Oldest hot-state schema this build reads.</summary>
    public const int SchemaMin = 1;

    /// <summary>Newest hot-state schema this build reads and writes (3: packed routes with a next-hop table).</summary>
    public const int SchemaMax = 3;

    /// <summary><c>[Version]</c> of <see cref="IRoutingProcess"/>.</summary>
    public const ushort InterfaceVersion = 2;
#else
    /// <summary>Software version.</summary>
    public const string Version = "1.0.0";

    /// <summary>Oldest hot-state schema this build reads.</summary>
    public const int SchemaMin = 1;

    /// <summary>
    /// Newest hot-state schema this build reads and writes (2: packed routes, decoded straight into the compact RIB).
    /// It still reads 1 (route records), which builds before the compact RIB wrote: a chassis upgrading from one keeps
    /// writing 1 until the last such card is gone.
    /// </summary>
    public const int SchemaMax = 2;

    /// <summary><c>[Version]</c> of <see cref="IRoutingProcess"/>.</summary>
    public const ushort InterfaceVersion = 1;
#endif
}
