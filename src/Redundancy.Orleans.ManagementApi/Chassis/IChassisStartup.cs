using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>
/// A host's start-up workload as <c>GET /api/chassis</c> shows it (<c>startup</c>), so that a client can tell a chassis still
/// loading from one that is done. Optional: without one, or when it answers null, the status has no start-up.
/// </summary>
public interface IChassisStartup
{
    /// <summary>The current start-up, or null when this host has none.</summary>
    StartupStatus? Current { get; }
}
