using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;
using Redundancy.Orleans.Monitoring.ChassisView;
using Redundancy.Orleans.ControlPlane;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Routing.Hosting;
using Redundancy.Orleans.Security;
using Redundancy.Orleans.Configuration;
using Redundancy.Orleans.Routing.Configuration;

namespace Redundancy.Orleans.Silo.Configuration;

/// <summary>The Orleans configuration every card of a chassis shares.</summary>
internal static class SiloSetup
{
    public static void Configure(ISiloBuilder silo, IConfiguration configuration, ChassisOptions chassis, CardIdentity card, int siloPort,
        (X509Certificate2 Certificate, X509Certificate2Collection Ca)? tls)
    {
        // Grain-call spans cross cards (a failover's restore calls replicas elsewhere).
        silo.AddActivityPropagation();
        if (configuration.GetValue(ChassisViewOptions.SectionName + ":" + nameof(ChassisViewOptions.Enabled), true))
        {
            // The Orleans Dashboard's grains and call profiler must be on every silo, not only the one showing it.
            silo.AddDashboard();
        }

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = chassis.ClusterId;
            o.ServiceId = chassis.ClusterId;
        });
        // In a container the card advertises its own address (the other cards dial it) and listens on every interface.
        // The embedded chassis is one host: its control silo is the development-clustering primary on loopback.
        var advertised = chassis.Mode == "card" ? Advertised(chassis.AdvertisedHost) : IPAddress.Loopback;
        silo.ConfigureEndpoints(advertised, siloPort, siloPort + 10000, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
        if (tls is { } t)
        {
            silo.UseChassisTls(t.Certificate, t.Ca);
        }

        // The control plane's records (ballots, in-sync sets, history) share the fate of the membership table.
        if (chassis.Membership == "redis")
        {
            // Every card equal: the membership table lives in Redis, no silo is special.
            silo.UseRedisClustering(chassis.RedisConnectionString!);
            silo.AddRedisGrainStorage(ControlPlaneStorage.Name, o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(chassis.RedisConnectionString!));
        }
        else
        {
            silo.UseDevelopmentClustering(new IPEndPoint(IPAddress.Loopback, chassis.BasePort));
            silo.AddControlSiloMemoryStorage();
        }

        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // Probes decide about cards that stop answering (hung, busy, unreachable): tolerant enough that the load of
            // a failover never costs a healthy card. A killed card is declared dead at once by closed-port evidence
            // (below). Measured in docs/design.md (failure detection).
            o.ProbeTimeout = chassis.ProbeTimeout;
            o.NumMissedProbesLimit = chassis.NumMissedProbesLimit;
            o.NumVotesForDeathDeclaration = chassis.NumVotesForDeathDeclaration;
            o.DeathVoteExpirationTimeout = chassis.DeathVoteExpirationTimeout;
            o.EnableConnectionLivenessCheck = chassis.EnableConnectionLivenessCheck;
        });
        if (chassis.ClosedPortDetection)
        {
            silo.AddClosedPortDetection();
            silo.Services.Configure<ClosedPortDetectionOptions>(configuration.GetSection(ClosedPortDetectionOptions.SectionName));
        }

        silo.Services.Configure<RedundancyOptions>(configuration.GetSection(RedundancyOptions.SectionName));
        silo.Services.PostConfigure<RedundancyOptions>(o =>
        {
            if (o.Processes.Count == 0)
            {
                o.Processes = DefaultProcessTable.Create(chassis.Slots, chassis.ProcessesPerSlot);
            }
        });
        silo.Services.Configure<RoutingOptions>(configuration.GetSection(RoutingOptions.SectionName));
        if (chassis.BaselineRedisConnectionString is { } baselineRedis)
        {
            silo.AddRedisGrainStorage(RoutingSiloBuilderExtensions.BaselineStorageName,
                o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(baselineRedis));
        }

        silo.AddProcessRedundancy(card);
        if (chassis.FaultInjectionEnabled)
        {
            silo.AddFaultInjection();
        }

        silo.AddRoutingApplication();
    }

    /// <summary>The address behind <see cref="ChassisOptions.AdvertisedHost"/> (an IP, or a host name resolved once at start).</summary>
    /// <exception cref="ArgumentException">The name does not resolve to an IPv4 address; names the key and value.</exception>
    public static IPAddress Advertised(string host)
    {
        if (IPAddress.TryParse(host, out var ip))
        {
            return ip;
        }

        try
        {
            return Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                ?? throw new ArgumentException($"{ChassisOptions.SectionName}:AdvertisedHost '{host}' has no IPv4 address.");
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new ArgumentException($"{ChassisOptions.SectionName}:AdvertisedHost '{host}' does not resolve: {e.Message}", e);
        }
    }
}
