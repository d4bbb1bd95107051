using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Chassis;

/// <summary>
/// The whole chassis status for callers outside the silos (the dashboard, an Orleans client): cards from
/// membership and silo metadata, and every process's own status. A stateless worker: any card answers.
/// </summary>
public interface IChassisStatusGrain : IGrainWithIntegerKey
{
    /// <summary>Cards, processes and the chassis manager, as <c>GET /api/chassis</c> returns them.</summary>
    Task<ChassisStatus> GetStatus();
}
