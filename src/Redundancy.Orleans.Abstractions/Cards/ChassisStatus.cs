using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Cards;

/// <summary>The whole chassis: cards and processes (<c>GET /api/chassis</c>).</summary>
public sealed record ChassisStatus
{
    /// <summary>Every card, control silo first, then line cards by slot, then spares.</summary>
    public IReadOnlyList<CardInfo> Cards { get; init; } = [];

    /// <summary>Every process of the process table, by slot.</summary>
    public IReadOnlyList<ProcessStatus> Processes { get; init; } = [];

    /// <summary>The chassis manager (itself a redundant process): its card, epoch and replicas.</summary>
    public ProcessStatus? ChassisManager { get; init; }

    /// <summary>The slot map version the control silo holds.</summary>
    public long SlotMapVersion { get; init; }
}
