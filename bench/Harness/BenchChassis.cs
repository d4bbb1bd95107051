using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Testing;

namespace Redundancy.Orleans.Bench.Harness;

/// <summary>
/// A real embedded chassis started with the test helpers' launcher (<see cref="EmbeddedChassisProcess"/>: the built
/// silo, on free loopback ports), plus an Orleans client on the control silo's gateway so that measurements do not
/// include HTTP.
/// </summary>
internal sealed class BenchChassis : IAsyncDisposable
{
    private readonly EmbeddedChassisProcess _chassis;
    private readonly GatewayClient _client;

    private BenchChassis(EmbeddedChassisProcess chassis, GatewayClient client)
    {
        _chassis = chassis;
        _client = client;
    }

    public ChassisClient Api => _chassis.Client;

    /// <summary>Configuration for every chassis of the run (<c>--set Section:Key=value</c>), after the scenario's own.</summary>
    public static IReadOnlyList<string> Settings { get; set; } = [];

    public IClusterClient Grains => _client.Grains;

    public static async Task<BenchChassis> StartAsync(int slots, int spares, IReadOnlyList<string> processTable, params string[] extra)
    {
        // Replacement cards take the ports after the chassis's own: keep three free for the scenarios that add one.
        var chassis = EmbeddedChassisProcess.Launch(slots, spares, replacementCards: 3,
        [
            "--Chassis:RoutesPerProcess=0",
            "--Redundancy:MaxRestarts=1000", // the benchmark crashes processes on purpose, many times a minute
            .. processTable, .. extra, .. Settings,
        ]);
        try
        {
            await chassis.Client.WaitForAsync(s => s.Cards.Count(c => c.Alive) == slots + spares + 1 && s.Processes.Count > 0 && s.Processes.All(p => p.State == ProcessState.Ready),
                TimeSpan.FromSeconds(120), "the benchmark chassis to start");
            return new BenchChassis(chassis, await chassis.ConnectAsync());
        }
        catch
        {
            // A chassis that did not start must not outlive the run (its cards exit when it does).
            await chassis.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _chassis.DisposeAsync();
    }
}
