using System.Runtime.CompilerServices;

// The records of Redundancy.Orleans.Contracts carry only the serialization attributes, so that HTTP clients (the SDK, the
// CLI) need neither the Orleans SDK nor Roslyn. Their serializers and copiers are generated here, for every silo and
// Orleans client, which all reference this assembly: the same [Id]s, so the same fields on the wire as when the records
// were declared here.
[assembly: GenerateCodeForDeclaringAssembly(typeof(Redundancy.Orleans.Cards.ChassisStatus))]

// They were declared here until they moved to the contracts. A type name written by an earlier build still resolves: the
// control plane's Redis storage (JSON with type names: event pages, audit history) and the Orleans serializer write
// "Type, Redundancy.Orleans.Abstractions" for them. Code compiled against the earlier package keeps running too.
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Audit.AuditRecord))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Audit.AuditReport))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Audit.AuditFinding))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Cards.CardInfo))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Cards.CardMetadataKeys))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Cards.CardRoles))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Cards.ChassisStatus))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Cards.StartupState))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Cards.StartupStatus))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Chassis.ChassisEventKind))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Chassis.ChassisEvent))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Diagnostics.InstrumentKind))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Diagnostics.InstrumentDefinition))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Diagnostics.TelemetryAttributes))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Diagnostics.Instruments))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Diagnostics.TelemetryNames))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Faults.CrashPoints))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Management.CardSignalled))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Management.CardDeclaredDead))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Management.CardStopped))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Management.CardStarted))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Management.ProcessCrashed))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Management.ProcessReleased))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Management.BuildVersions))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Management.FaultInjected))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Management.MetricsTarget))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Processes.ProblemTypes))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Processes.ProcessState))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Processes.ProcessStatus))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Processes.ReplicaInfo))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Replication.Protection))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Upgrade.BuildInfo))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Upgrade.CampaignRecord))]
[assembly: TypeForwardedTo(typeof(Redundancy.Orleans.Upgrade.ShadowRestoreReport))]
