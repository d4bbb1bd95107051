using Orleans.Placement;

namespace Redundancy.Orleans.Placement;

/// <summary>Places a primary on the card that serves its process's slot.</summary>
[GenerateSerializer]
public sealed class SlotPlacementStrategy : PlacementStrategy;

/// <summary>Marks a grain class as a redundant process primary: placed on the card serving its slot.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SlotPlacementAttribute() : PlacementAttribute(new SlotPlacementStrategy());

/// <summary>Places replica k of a process on the k-th ranked active line card other than the primary's (M3).</summary>
[GenerateSerializer]
internal sealed class ReplicaPlacementStrategy : PlacementStrategy;

/// <summary>Marks a grain class as a hot-state replica.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class ReplicaPlacementAttribute() : PlacementAttribute(new ReplicaPlacementStrategy());

/// <summary>Places a grain on the live card whose id is the grain's key (card-local probes such as upgrade verification).</summary>
[GenerateSerializer]
internal sealed class CardPinnedPlacementStrategy : PlacementStrategy;

/// <summary>Marks a grain class keyed by card id as running on that card.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class CardPinnedPlacementAttribute() : PlacementAttribute(new CardPinnedPlacementStrategy());

/// <summary>Places a grain on the control silo (the card whose role is <c>control</c>): control-plane storage.</summary>
[GenerateSerializer]
internal sealed class ControlSiloPlacementStrategy : PlacementStrategy;

/// <summary>Marks a grain class as living on the control silo.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class ControlSiloPlacementAttribute() : PlacementAttribute(new ControlSiloPlacementStrategy());

/// <summary>
/// Places the chassis manager (the control plane, I7): on the first line card of its rendezvous ranking that serves a
/// slot, or any live card while the chassis starts; it has no slot of its own.
/// </summary>
[GenerateSerializer]
internal sealed class ControlPlanePlacementStrategy : PlacementStrategy;

/// <summary>Marks the chassis manager's grain class.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class ControlPlanePlacementAttribute() : PlacementAttribute(new ControlPlanePlacementStrategy());
