using Redundancy.Orleans.Processes;

namespace Redundancy.Orleans.Cards;

/// <summary>The whole chassis: cards and processes (<c>GET /api/chassis</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record ChassisStatus
{
    /// <summary>Every card, control silo first, then line cards by slot, then spares.</summary>
    [Id(0)] public IReadOnlyList<CardInfo> Cards { get; set; } = [];

    /// <summary>Every process of the process table, by slot.</summary>
    [Id(1)] public IReadOnlyList<ProcessStatus> Processes { get; set; } = [];

    /// <summary>The chassis manager (itself a redundant process): its card, epoch and replicas.</summary>
    [Id(2)] public ProcessStatus? ChassisManager { get; set; }

    /// <summary>The slot map version the control silo holds.</summary>
    [Id(3)] public long SlotMapVersion { get; set; }

    /// <summary>The embedded chassis's start-up (cards, readiness, workload); null in cluster mode, which has none.</summary>
    [Id(4)] public StartupStatus? Startup { get; set; }
}
