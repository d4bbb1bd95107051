using System.Net;
using Orleans.Configuration;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Routing.Hosting;

namespace Redundancy.Orleans.Silo.Configuration;

/// <summary>The Orleans configuration every card of a chassis shares.</summary>
internal static class SiloSetup
{
    public static void Configure(ISiloBuilder silo, IConfiguration configuration, ChassisOptions chassis, CardIdentity card, int siloPort)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = chassis.ClusterId;
            o.ServiceId = chassis.ClusterId;
        });
        silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, siloPort + 10000);
        silo.UseDevelopmentClustering(new IPEndPoint(IPAddress.Loopback, chassis.BasePort));
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // One chassis network: detect a dead card in about a second (measured, see DESIGN.md section 4).
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
        });

        silo.Services.Configure<RedundancyOptions>(configuration.GetSection(RedundancyOptions.SectionName));
        silo.Services.PostConfigure<RedundancyOptions>(o =>
        {
            if (o.Processes.Count == 0)
            {
                o.Processes = DefaultProcessTable.Create(chassis.Slots, chassis.ProcessesPerSlot);
            }
        });
        silo.Services.Configure<RoutingOptions>(configuration.GetSection(RoutingOptions.SectionName));
        silo.AddProcessRedundancy(card);
        silo.AddRoutingApplication();
    }
}
