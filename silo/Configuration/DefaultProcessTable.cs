using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Routing.Hosting;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Silo.Configuration;

/// <summary>
/// The process table used when none is configured: <c>ProcessesPerSlot</c> routing processes per slot
/// (bgp-1, ospf-1, bgp-2, ...); processes of one protocol peer with each other across slots; on a card, the interior
/// gateway processes restore first.
/// </summary>
internal static class DefaultProcessTable
{
    private static readonly string[] Protocols = ["bgp", "ospf", "isis", "rip"];

    /// <summary>The restore priority of the default table's interior gateway processes (BGP's is the default, 100).</summary>
    public const int InteriorRestorePriority = 50;

    public static List<ProcessDefinition> Create(int slots, int processesPerSlot)
    {
        var names = new List<(string Protocol, int Slot, string Name)>();
        for (var slot = 1; slot <= slots; slot++)
        {
            for (var j = 0; j < processesPerSlot; j++)
            {
                var protocol = Protocols[j % Protocols.Length] + (j >= Protocols.Length ? (j / Protocols.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
                names.Add((protocol, slot, $"{protocol}-{slot}"));
            }
        }

        return names.Select(n => new ProcessDefinition
        {
            Name = n.Name,
            Slot = n.Slot,
            Kind = RoutingSiloBuilderExtensions.Kind,
            Peers = names.Where(o => o.Protocol == n.Protocol && o.Name != n.Name).Select(o => o.Name).ToList(),

            // The interior gateway protocols restore before BGP, whose next hops resolve over them.
            RestorePriority = n.Protocol.StartsWith("bgp", StringComparison.Ordinal) ? null : InteriorRestorePriority,
        }).ToList();
    }
}
