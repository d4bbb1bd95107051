using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static Redundancy.Orleans.Tests.MultiProcess.ChassisChecks;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>
/// Issue 12: a card killed under the benchmark's heaviest load (50 processes of 10,000 routes on the card) must not take
/// healthy cards with it. The spare's restores load both cores, and the failure detector used to mistake the slow
/// answers for dead cards. Membership is watched throughout; every card not killed must stay alive. Runs alone: its
/// point is the load the failover itself makes, not another test's.
/// </summary>
[Collection(AloneCollection.Name)]
[Trait("Category", TestCategories.MultiProcess)]
public sealed class FailureDetectionTests(ITestOutputHelper output)
{
    private const int ProcessesOnCard = 50;
    private const int RoutesPerProcess = 10_000;
    private const int Kills = 2;

    [Fact]
    public async Task CardKillUnderLoad_NoHealthyCardDeclaredDead_EveryProcessReadyWithEveryAcknowledgedRoute()
    {
        // Slot 2 carries the 50 loaded processes (their replicas on cards 1 and 3); one light process on each other slot.
        var table = new List<string>();
        for (var i = 0; i < ProcessesOnCard; i++)
        {
            table.AddRange(EmbeddedChassisProcess.ProcessArgs(i, $"k{i}", 2));
        }

        table.AddRange(EmbeddedChassisProcess.ProcessArgs(ProcessesOnCard, "w1", 1));
        table.AddRange(EmbeddedChassisProcess.ProcessArgs(ProcessesOnCard + 1, "w3", 3));
        await using var chassis = await EmbeddedChassisProcess.StartAsync(slots: 3, spares: Kills, [.. table, "--Chassis:RoutesPerProcess=0", "--Redundancy:MaxRestarts=100"]);
        using var logs = new ChassisLogs(output, chassis);
        await using var gateway = await chassis.ConnectAsync();
        var api = chassis.Client;

        // Acknowledged load, through the gateway (binary, batched) rather than HTTP: 500,000 routes on the card.
        var status = await api.GetChassisAsync();
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);
        var n = 0;
        foreach (var p in status.Processes)
        {
            var count = p.Slot == 2 ? RoutesPerProcess : 100;
            foreach (var chunk in WorkloadGenerator.Routes(n++, count).Chunk(2000))
            {
                await gateway.Grains.GetGrain<IRoutingProcess>(p.Name).Update(new RouteUpdate { Announce = chunk });
            }

            expected[p.Name] = count;
        }

        await using var watch = await MembershipWatch.StartAsync(gateway.Grains);
        var killed = new List<string>();
        for (var kill = 1; kill <= Kills; kill++)
        {
            var before = await WaitProtectedAsync(api, 1, $"kill {kill}: every process protected before the kill");
            var victim = before.Processes.First(p => p.Name == "k0").CardId!;
            var lastEvent = (await api.GetEventsAsync()).Select(e => e.Id).DefaultIfEmpty(0).Max();
            watch.Killing(victim);
            killed.Add(victim);
            await api.KillCardAsync(victim);

            await Eventually.WaitAsync(() => api.GetEventsAsync(lastEvent), es => es.Any(e => e.Kind == ChassisEventKind.CardFailover && e.CardId == victim && e.ReadyAt is not null),
                FailoverTimeout, $"kill {kill}: the failover of {victim} to complete", es => string.Join("; ", es.Select(e => e.Message)));
            var after = await WaitAllReadyAfterAsync(api, before, killed, $"kill {kill} ({victim}): every process ready on a live card");
            var figures = await watch.FiguresAsync();
            output.WriteLine($"kill {kill} ({victim}): {figures}");
            Assert.True(figures.HealthyDeclaredDead.Count == 0,
                $"kill {kill} ({victim}): healthy cards were declared dead under the failover's load: {figures}");
            Assert.All(after.Processes, p => Assert.True(after.Cards.Single(c => c.CardId == p.CardId).Alive, $"{p.Name} on {p.CardId}, which is not alive"));

            // Nothing acknowledged is lost: every process holds exactly the routes it acknowledged (distinct routes).
            foreach (var (name, count) in expected)
            {
                var routes = await gateway.Grains.GetGrain<IRoutingProcess>(name).GetRoutes();
                Assert.True(routes.Routes.Count == count, $"kill {kill} ({victim}): {name} holds {routes.Routes.Count} routes, expected {count} acknowledged");
            }
        }

        var final = await watch.FiguresAsync();
        Assert.Equal(Kills, final.KilledDeclaredDead);
        Assert.Empty(final.HealthyDeclaredDead);
    }
}
