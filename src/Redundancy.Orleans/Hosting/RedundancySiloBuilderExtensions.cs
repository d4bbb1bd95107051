using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Hosting;
using Redundancy.Orleans.CardManagement;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Hosting;

/// <summary>Adds the redundancy runtime to a silo.</summary>
public static class RedundancySiloBuilderExtensions
{
    /// <summary>
    /// Makes this silo a card of a redundant chassis: publishes its card identity as silo metadata and its card id as
    /// the silo name (refusing to start while another card with that id is active), installs the card/replica placement,
    /// the card manager, the process table and the distributed grain directory (with no range lease) that fencing
    /// relies on.
    /// Options are validated at start-up; bind them from configuration with
    /// <c>services.Configure&lt;RedundancyOptions&gt;(configuration.GetSection("Redundancy"))</c> or pass <paramref name="configure"/>.
    /// </summary>
    public static ISiloBuilder AddProcessRedundancy(this ISiloBuilder builder, CardIdentity card, Action<RedundancyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        builder.UseSiloMetadata(card.ToMetadata());

        // The card id as silo name: the membership table then carries it before any metadata is exchanged, and a second
        // card with an id already active elsewhere is refused before it serves.
        builder.Configure<global::Orleans.Configuration.SiloOptions>(o => o.SiloName = card.CardId);
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DuplicateCardGuard>();

        // With the default directory, losing a card also deactivates about 1/N of the activations on the surviving cards
        // (their directory entries lived on the dead card, dotnet/orleans#9074) — replicas among them, which would lose the
        // backup of a primary that died at the same moment. The distributed directory hands ranges over instead.
#pragma warning disable ORLEANSEXP003
        builder.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003

        // After an ungraceful card failure the distributed directory holds the dead card's grains under a "safety lease"
        // (about 20 s) so that no duplicate activation can appear. Replicated state makes a duplicate harmless instead
        // (ballot fencing: replicas refuse the older ballot, which then stops serving), so the lease would only stretch a
        // ~1 s failover to ~20 s. Measured: docs/design.md.
        builder.Configure<global::Orleans.Configuration.GrainDirectoryOptions>(o => o.RangeLeaseDuration = TimeSpan.Zero);
        var services = builder.Services;
        var options = services.AddOptions<RedundancyOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedundancyOptions>, RedundancyOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedundancyOptions>, ProcessKindValidator>());
        services.AddSingleton(card);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProcessTable>();
        services.TryAddSingleton<SlotMapCache>();
        services.TryAddSingleton<CardDirectory>();
        services.TryAddSingleton<Upgrade.StateSchemaNegotiator>();
        services.TryAddSingleton(sp => new ProcessDirectory(
            sp.GetRequiredService<ProcessTable>(),
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<IClusterManifestProvider>(),
            sp.GetRequiredService<global::Orleans.Metadata.GrainClassMap>()));

        // [ReplicatedState] grains: the facet, and the filter that refuses calls while a process does not serve.
        services.TryAddSingleton<IAttributeToFactoryMapper<ReplicatedStateAttribute>, ReplicatedStateAttributeMapper>();
        services.AddSingleton<IIncomingGrainCallFilter, ServingFilter>();
        services.TryAddSingleton<RestartTracker>();
        services.TryAddSingleton<Faults.CardFaults>();
        services.TryAddSingleton<History.AuditJournal>();
        services.TryAddSingleton<Chassis.ChassisStatusReader>();
        services.TryAddSingleton<CardManager>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<CardManager>());
        services.TryAddSingleton(sp => new RedundancyContext(
            sp.GetRequiredService<IOptions<RedundancyOptions>>(),
            sp.GetRequiredService<ProcessTable>(),
            sp.GetRequiredService<CardDirectory>(),
            sp.GetRequiredService<ILocalSiloDetails>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<CardManager>(),
            sp.GetRequiredService<RestartTracker>(),
            sp.GetRequiredService<SlotMapCache>(),
            sp.GetRequiredService<global::Orleans.Serialization.Serializer>(),
            sp.GetRequiredService<Faults.CardFaults>(),
            sp.GetRequiredService<History.AuditJournal>(),
            sp.GetRequiredService<Diagnostics.RedundancyMetrics>()));
        // Instruments per silo, from the silo's meter factory (created with the card gauge, so a card exposes them at once).
        services.AddMetrics();
        services.TryAddSingleton<Diagnostics.RedundancyMetrics>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Diagnostics.CardGauge>();
        // Event and audit history in control-plane storage (when the host configured it).
        services.TryAddSingleton<History.ChassisHistory>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, History.HistoryRecorder>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, History.AuditPump>();

        // Old and new builds run side by side during a rolling upgrade and call each other with different
        // interface versions; placement must still follow slots, not versions. Compatibility is checked by
        // upgrade verification (U1) before a new build serves, not by Orleans at call time.
        services.Configure<global::Orleans.Configuration.GrainVersioningOptions>(o =>
        {
            o.DefaultCompatibilityStrategy = nameof(global::Orleans.Versions.Compatibility.AllVersionsCompatible);
            o.DefaultVersionSelectorStrategy = nameof(global::Orleans.Versions.Selector.AllCompatibleVersions);
        });
        builder.AddPlacementDirector<SlotPlacementStrategy, CardPlacementDirector>();
        builder.AddPlacementDirector<ReplicaPlacementStrategy, CardPlacementDirector>();
        builder.AddPlacementDirector<CardPinnedPlacementStrategy, CardPlacementDirector>();
        builder.AddPlacementDirector<ControlSiloPlacementStrategy, CardPlacementDirector>();
        builder.AddPlacementDirector<ControlPlanePlacementStrategy, CardPlacementDirector>();
        return builder;
    }

    /// <summary>
    /// Keeps the control plane's records (<see cref="ControlPlane.ControlPlaneStorage.Name"/>) in the memory of the
    /// control silo: for a chassis whose control silo also holds the membership table (the embedded chassis), so the
    /// records share its fate. A cluster with external membership registers a durable grain storage under that name
    /// instead (for example Redis).
    /// </summary>
    public static ISiloBuilder AddControlSiloMemoryStorage(this ISiloBuilder builder)
    {
        builder.Services.AddGrainStorage(ControlPlane.ControlPlaneStorage.Name, (sp, _) => ActivatorUtilities.CreateInstance<ControlPlane.ControlSiloGrainStorage>(sp));
        return builder;
    }

    /// <summary>
    /// Enables fault injection on this card (<see cref="Faults.ICardFaultInjection"/>: partitions between cards, slow cards,
    /// crash points inside a commit). For the embedded chassis and tests, never for a production card.
    /// </summary>
    public static ISiloBuilder AddFaultInjection(this ISiloBuilder builder)
    {
        builder.Services.TryAddSingleton<Faults.CardFaults>();
        builder.Services.AddSingleton<Faults.FaultInjectionFilter>();
        builder.Services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<Faults.FaultInjectionFilter>());
        builder.Services.AddSingleton<IOutgoingGrainCallFilter>(sp => sp.GetRequiredService<Faults.FaultInjectionFilter>());
        builder.Services.Configure<Faults.FaultInjectionOptions>(o => o.Enabled = true);
        return builder;
    }
}
