using System.Diagnostics;
using System.Globalization;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Silo.Configuration;

namespace Redundancy.Orleans.Silo.Embedded;

/// <summary>
/// The embedded chassis: this process is the control silo; it starts the line cards and spares as real
/// processes on loopback, waits for every process to be ready, loads a routing workload and prints the status.
/// </summary>
internal sealed class EmbeddedChassis(ChassisOptions options, IConfiguration configuration) : IDisposable
{
    private readonly List<CardProcess> _cards = [];

    public string LogDirectory { get; } = options.LogDirectory
        ?? Path.Combine(Path.GetTempPath(), "redundancy-chassis", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    public void StartCards()
    {
        var port = options.BasePort + 1;
        for (var slot = 1; slot <= options.Slots; slot++)
        {
            Start($"card-{slot}", CardRoles.Line, slot, port++);
        }

        for (var s = 1; s <= options.Spares; s++)
        {
            Start($"spare-{s}", CardRoles.Spare, null, port++);
        }
    }

    public async Task<ChassisStatus> WaitReadyAsync(ChassisClient client, TimeSpan timeout, CancellationToken ct)
    {
        var expectedCards = options.Slots + options.Spares + 1;
        return await client.WaitForAsync(
            s => s.Cards.Count(c => c.Alive) >= expectedCards && s.Processes.Count > 0 && s.Processes.All(p => p.State == ProcessState.Ready),
            timeout,
            $"{expectedCards} cards alive and every process ready",
            ct);
    }

    public async Task LoadWorkloadAsync(ChassisClient client, ChassisStatus status, CancellationToken ct)
    {
        if (options.RoutesPerProcess == 0)
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        var index = 0;
        foreach (var process in status.Processes)
        {
            var routes = WorkloadGenerator.Routes(index++, options.RoutesPerProcess);
            foreach (var batch in routes.Chunk(1000))
            {
                await client.UpdateAsync(process.Name, new RouteUpdate { Announce = batch }, ct);
            }

            Console.WriteLine($"  loaded {routes.Count} routes into {process.Name}");
        }

        Console.WriteLine($"Workload: {options.RoutesPerProcess * status.Processes.Count} routes acknowledged in {watch.Elapsed.TotalSeconds:0.0} s.");
    }

    public void Dispose()
    {
        foreach (var card in _cards)
        {
            card.Dispose();
        }
    }

    private void Start(string cardId, string role, int? slot, int port)
    {
        var args = new List<string>
        {
            "--Chassis:Mode=card",
            $"--Chassis:CardId={cardId}",
            $"--Chassis:Role={role}",
            $"--Chassis:SiloPort={port}",
            $"--Chassis:BasePort={options.BasePort}",
            $"--Chassis:ClusterId={options.ClusterId}",
            $"--Chassis:Slots={options.Slots}",
            $"--Chassis:ProcessesPerSlot={options.ProcessesPerSlot}",
            $"--Chassis:Version={options.Version}",
        };
        if (slot is { } s)
        {
            args.Add($"--Chassis:Slot={s}");
        }

        // Every card must run with the same redundancy and routing settings as the control silo.
        foreach (var section in new[] { "Redundancy", "Routing", "Logging" })
        {
            foreach (var (key, value) in configuration.GetSection(section).AsEnumerable())
            {
                if (value is not null)
                {
                    args.Add($"--{key}={value}");
                }
            }
        }

        var card = CardProcess.Start(cardId, args, LogDirectory);
        _cards.Add(card);
        Console.WriteLine($"  started {cardId} ({role}{(slot is null ? "" : " slot " + slot)}) pid {card.ProcessId}, silo port {port}, log {card.LogPath}");
    }
}
