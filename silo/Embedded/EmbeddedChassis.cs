using System.Diagnostics;
using System.Globalization;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Silo.Configuration;

namespace Redundancy.Orleans.Silo.Embedded;

/// <summary>
/// The embedded chassis: this process is the control silo; it starts the line cards and spares as real
/// processes on loopback, waits for every process to be ready, loads a routing workload and prints the status.
/// </summary>
internal sealed class EmbeddedChassis(ChassisOptions options, IConfiguration configuration) : IDisposable
{
    private readonly List<CardProcess> _cards = [];
    private readonly Lock _lock = new();
    private int _nextPort = options.BasePort + 1;
    private int _spares;

    public string LogDirectory { get; } = options.LogDirectory
        ?? Path.Combine(Path.GetTempPath(), "redundancy-chassis", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    public void StartCards()
    {
        for (var slot = 1; slot <= options.Slots; slot++)
        {
            Start($"card-{slot}", CardRoles.Line, slot);
        }

        for (var s = 1; s <= options.Spares; s++)
        {
            StartSpare();
        }
    }

    /// <summary>Starts a new spare card (a replacement card joins as the spare, M5).</summary>
    public CardProcess StartSpare()
    {
        lock (_lock)
        {
            return Start($"spare-{++_spares}", CardRoles.Spare, null);
        }
    }

    /// <summary>
    /// Waits until every card this chassis started has joined and every process is ready. A card may die meanwhile (its
    /// slot then moves to a spare): the wait is for the processes, not for that card. Null when it timed out; start-up
    /// then goes on and says what was not ready.
    /// </summary>
    public async Task<ChassisStatus?> WaitReadyAsync(ChassisClient client, ChassisStartup startup, TimeSpan timeout, CancellationToken ct)
    {
        string[] started;
        lock (_lock)
        {
            started = _cards.Select(c => c.CardId).ToArray();
        }

        try
        {
            return await client.WaitForAsync(
                s => started.All(id => s.Cards.Any(c => c.CardId == id)) && s.Processes.Count > 0 && s.Processes.All(p => p.State == ProcessState.Ready),
                timeout,
                $"{started.Length} cards joined and every process ready",
                ct);
        }
        catch (TimeoutException e)
        {
            startup.Problem(e.Message);
            Console.Error.WriteLine("Start-up: " + e.Message + " The chassis goes on; the workload load retries processes that are not ready.");
            return null;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var card in _cards)
            {
                card.Dispose();
            }
        }
    }

    /// <summary>The software versions cards can be started at: this build's and the configured builds.</summary>
    public IReadOnlyList<string> Versions => [options.Version, .. options.Builds.Keys.Where(v => v != options.Version).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Provisioning (U1): stops a card gracefully (SIGTERM: its silo leaves the membership). The caller checked
    /// that it serves no slot. Returns the exit code, or null when it had to be killed.
    /// </summary>
    public async Task<int?> StopCardAsync(string cardId, TimeSpan timeout)
    {
        var card = Latest(cardId) ?? throw new RedundancyException(RedundancyErrorKind.UnknownProcess, $"Card '{cardId}' was not started by this chassis.");
        return await card.StopAsync(timeout);
    }

    /// <summary>Provisioning (U1): starts a card that is not running as a spare, at a software version.</summary>
    public CardProcess StartCard(string cardId, string version)
    {
        if (Latest(cardId) is null)
        {
            throw new RedundancyException(RedundancyErrorKind.UnknownProcess, $"Card '{cardId}' was not started by this chassis; add a new card with POST /api/cards.");
        }

        string? build = null;
        if (version != options.Version && !options.Builds.TryGetValue(version, out build))
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput,
                $"Unknown software version '{version}': this chassis can start cards at {string.Join(", ", Versions)} (configure more with Chassis:Builds:<version>=<directory>).");
        }

        lock (_lock)
        {
            if (Latest(cardId) is { HasExited: false })
            {
                throw new RedundancyException(RedundancyErrorKind.Conflict, $"Card '{cardId}' is running; stop it first.");
            }

            // The same ports as before: a restarted card is the same hardware, and the chassis's port range stays bounded.
            return Start(cardId, CardRoles.Spare, null, build, Latest(cardId)!.SiloPort);
        }
    }

    private CardProcess? Latest(string cardId)
    {
        lock (_lock)
        {
            return _cards.LastOrDefault(c => c.CardId == cardId);
        }
    }

    private CardProcess Start(string cardId, string role, int? slot, string? buildDirectory = null, int? siloPort = null)
    {
        var port = siloPort ?? Interlocked.Increment(ref _nextPort) - 1;
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
            $"--Chassis:Membership={options.Membership}",
            $"--Chassis:ProbeTimeout={options.ProbeTimeout}",
            $"--Chassis:NumMissedProbesLimit={options.NumMissedProbesLimit}",
            $"--Chassis:NumVotesForDeathDeclaration={options.NumVotesForDeathDeclaration}",
            $"--Chassis:DeathVoteExpirationTimeout={options.DeathVoteExpirationTimeout}",
            $"--Chassis:ClosedPortDetection={options.ClosedPortDetection}",
            $"--Chassis:EnableConnectionLivenessCheck={options.EnableConnectionLivenessCheck}",
            $"--Chassis:FaultInjection={options.FaultInjectionEnabled}",
        };
        if (options.RedisConnectionString is { } redis)
        {
            args.Add($"--Chassis:RedisConnectionString={redis}");
        }

        if (options.BaselineRedisConnectionString is { } baseline)
        {
            args.Add($"--Chassis:BaselineRedisConnectionString={baseline}");
        }

        // Every card of the embedded chassis presents the chassis's certificate (one host, one identity).
        foreach (var (key, value) in new[]
                 {
                     ("TlsCertificatePath", options.TlsCertificatePath), ("TlsKeyPath", options.TlsKeyPath),
                     ("TlsCertificatePassword", options.TlsCertificatePassword), ("TlsCaPath", options.TlsCaPath),
                 })
        {
            if (!string.IsNullOrEmpty(value))
            {
                args.Add($"--Chassis:{key}={value}");
            }
        }

        if (slot is { } s)
        {
            args.Add($"--Chassis:Slot={s}");
        }

        // Every card must run with the same redundancy, routing, failure detection and telemetry settings as the control silo.
        // Of the dashboard settings only Enabled (the Orleans Dashboard's silo part): the token stays here.
        args.Add($"--Dashboard:Enabled={configuration.GetValue("Dashboard:Enabled", true)}");
        foreach (var section in new[] { "Redundancy", "Routing", "Logging", "Telemetry", "ClosedPortDetection" })
        {
            foreach (var (key, value) in configuration.GetSection(section).AsEnumerable())
            {
                if (value is not null)
                {
                    args.Add($"--{key}={value}");
                }
            }
        }

        var card = CardProcess.Start(cardId, port, args, LogDirectory, buildDirectory);
        lock (_lock)
        {
            _cards.Add(card);
        }

        Console.WriteLine($"  started {cardId} ({role}{(slot is null ? "" : " slot " + slot)}{(buildDirectory is null ? "" : ", build " + buildDirectory)}) pid {card.ProcessId}, silo port {port}, log {card.LogPath}");
        return card;
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Prints chassis events (failovers with their phases) as they happen, until stopped.</summary>
    public async Task PrintEventsAsync(ChassisClient client, CancellationToken ct)
    {
        var announced = new HashSet<long>();
        var completed = new HashSet<long>();
        var open = new SortedSet<long>();
        long seen = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (await NextTickAsync(timer, ct))
        {
            try
            {
                // The history keeps every event: ask only from the oldest one still open (its timings complete later).
                foreach (var e in await client.GetEventsAsync(open.Count > 0 ? open.Min - 1 : seen, ct))
                {
                    seen = Math.Max(seen, e.Id);
                    if (e.IsOpen())
                    {
                        open.Add(e.Id);
                    }
                    else
                    {
                        open.Remove(e.Id);
                    }

                    if (e.ReadyAt is not null ? completed.Add(e.Id) : announced.Add(e.Id))
                    {
                        Console.WriteLine($"[{DateTime.Now:HH:mm:ss.fff}] {e.Message}");
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or ChassisApiException or TaskCanceledException)
            {
                // the chassis manager is moving (its card died): try again on the next tick
            }
        }
    }
}
