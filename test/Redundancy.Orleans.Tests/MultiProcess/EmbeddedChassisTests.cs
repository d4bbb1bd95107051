using Redundancy.Orleans.Testing;
using System.Net;
using System.Net.Http.Json;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.MultiProcess;

public sealed class EmbeddedChassisFixture : IAsyncLifetime
{
    public EmbeddedChassisProcess Chassis { get; private set; } = null!;

    public async Task InitializeAsync() => Chassis = await EmbeddedChassisProcess.StartAsync(slots: 3, spares: 1, "--Chassis:RoutesPerProcess=200", $"--Chassis:MaxRequestBodyBytes={BadInput.HttpBadInputCorpus.MaxBody}");

    public async Task DisposeAsync() => await Chassis.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class EmbeddedChassisCollection : ICollectionFixture<EmbeddedChassisFixture>
{
    public const string Name = "embedded chassis (real processes)";
}

[Collection(EmbeddedChassisCollection.Name)]
[Trait("Category", TestCategories.MultiProcess)]
public sealed class EmbeddedChassisTests(EmbeddedChassisFixture fixture)
{
    private ChassisClient Api => fixture.Chassis.Client;

    [Fact]
    public async Task Start_EveryCardIsARealProcessAndTheWorkloadIsLoaded()
    {
        // Other tests of this collection kill and add cards, and the order they run in is not fixed: check what
        // the chassis started (its output) and that every live card now is its own process.
        foreach (var card in new[] { "card-1", "card-2", "card-3", "spare-1" })
        {
            Assert.Contains($"started {card} (", fixture.Chassis.Output, StringComparison.Ordinal);
        }

        // The spare may join after start-up reports complete (start-up waits for the processes, not for spares): wait
        // for it as well, with a generous deadline, rather than reading the first status.
        var status = await Api.WaitForAsync(
            s => s.Processes.All(p => p.State == ProcessState.Ready) && s.Cards.Count(c => c.Alive) >= 5 && s.Startup is { State: StartupState.Complete },
            ChassisChecks.FailoverTimeout, "every process ready, at least 5 live cards and start-up complete");
        Assert.NotNull(status.Startup);
        Assert.Equal(status.Processes.Count, status.Startup.ProcessesLoaded);
        var alive = status.Cards.Where(c => c.Alive).ToList();
        Assert.Contains(alive, c => c.CardId == "control");
        Assert.True(alive.Count >= 5, $"expected at least 5 live cards, got {string.Join(", ", alive.Select(c => c.CardId))}");
        Assert.All(alive, c => Assert.True(c.ProcessId is > 0, $"{c.CardId} has no process id"));
        Assert.Equal(alive.Count, alive.Select(c => c.ProcessId).Distinct().Count());
        Assert.Equal(6, status.Processes.Count);
        Assert.All(status.Processes, p => Assert.True(p.StateSize >= 200, $"{p.Name} has {p.StateSize} routes"));
        Assert.Contains("Management API:", fixture.Chassis.Output);
    }

    [Fact]
    public async Task CrashThroughApi_ProcessRestoresExactRoutesAndTheForwardingTableWasNotWiped()
    {
        const string name = "ospf-2";
        var update = new RouteUpdate
        {
            Announce = [.. Enumerable.Range(0, 500).Select(i => TestRoutes.V4($"172.16.{i / 256}.{i % 256}/32", metric: i % 7)), TestRoutes.V4("2001:db8:2::/48", "2001:db8::2")],
            Withdraw = ["10.0.0.9/32"],
        };
        var ack = await Api.UpdateAsync(name, update);
        var expected = await Api.GetRoutesAsync(name);
        var before = (await Api.GetChassisAsync()).Processes.Single(p => p.Name == name);

        await Api.CrashAsync(name);
        var status = await Api.WaitForAsync(
            s => s.Processes.Single(p => p.Name == name) is { State: ProcessState.Ready } p && p.Epoch > before.Epoch,
            TimeSpan.FromSeconds(30),
            $"'{name}' restored after the crash (epoch > {before.Epoch})");
        var after = status.Processes.Single(p => p.Name == name);

        Assert.Equal(before.CardId, after.CardId);
        Assert.Equal(ack.Seq, after.Seq);
        var restored = await Api.GetRoutesAsync(name);
        Assert.Equal(TestRoutes.Lines(expected.Routes.Select(r => r.Route)), TestRoutes.Lines(restored.Routes.Select(r => r.Route)));

        var fib = after.LastAudit!.Findings.Single(f => f.Target.StartsWith("fib@", StringComparison.Ordinal));
        Assert.Equal((0, 0, 0), (fib.Missing, fib.Stale, fib.Wrong));
        var forwarding = await Api.GetForwardingAsync(name);
        Assert.Equal(TestRoutes.Lines(restored.Routes.Where(r => r.Best).Select(r => r.Route)), TestRoutes.Lines(forwarding.Entries));
        Assert.Equal(after.CardId, forwarding.CardId);
    }

    [Fact]
    public async Task LoadTable_ThroughApi_HoldsExactlyTheSyntheticTable_AndRestoresItAfterACrash()
    {
        const string name = "ospf-3";
        const int prefixes = 30_000;
        const int seed = 11;
        var held = (await Api.GetRoutesAsync(name)).Routes.Select(r => r.Route).ToList();

        // Two windows, as the CLI loads a table: the server generates both from the seed.
        var first = await Api.LoadTableAsync(name, prefixes, seed, from: 0, count: 20_000);
        var rest = await Api.LoadTableAsync(name, prefixes, seed, from: 20_000);
        var table = Redundancy.Orleans.Routing.Workload.SyntheticTable.Routes(seed, prefixes).ToList();
        Assert.Equal((20_000, 10_000, (long)table.Count), (first.Count, rest.Count, first.Paths + rest.Paths));
        Assert.True(first.Batches >= 3 && rest.Batches >= 2, $"batches: {first.Batches} + {rest.Batches}");

        // The process holds exactly what it held plus the table (keyed by prefix and origin, as its RIB is).
        var expected = held.Concat(table).GroupBy(r => (r.Prefix, r.Origin)).Select(g => g.Last()).ToList();
        var loaded = (await Api.GetRoutesAsync(name)).Routes.Select(r => r.Route).ToList();
        Assert.Equal(TestRoutes.Lines(expected), TestRoutes.Lines(loaded));

        // A crash restores every path of it from the replicas.
        var before = (await Api.GetChassisAsync()).Processes.Single(p => p.Name == name);
        await Api.CrashAsync(name);
        await Api.WaitForAsync(
            s => s.Processes.Single(p => p.Name == name) is { State: ProcessState.Ready } p && p.Epoch > before.Epoch,
            ChassisChecks.FailoverTimeout, $"'{name}' restored after the crash (epoch > {before.Epoch})");
        var restored = (await Api.GetRoutesAsync(name)).Routes.Select(r => r.Route).ToList();
        Assert.Equal(TestRoutes.Lines(expected), TestRoutes.Lines(restored));
    }

    [Theory]
    [InlineData("bgp-1", "{\"announce\":[{\"prefix\":\"10.0.0.1/24\",\"nextHop\":\"192.0.2.1\",\"metric\":10}]}", HttpStatusCode.BadRequest, "use '10.0.0.0/24'")]
    [InlineData("bgp-1", "{\"announce\":[{\"prefix\":\"10.0.0.0/24\",\"nextHop\":\"2001:db8::1\",\"metric\":10}]}", HttpStatusCode.BadRequest, "is IPv6 but prefix")]
    [InlineData("bgp-1", "{\"announce\":[],\"withdraw\":[]}", HttpStatusCode.BadRequest, "empty")]
    [InlineData("bgp-1", "{\"announce\":[{\"prefix\":", HttpStatusCode.BadRequest, "not a route batch")]
    [InlineData("bgp-1", "{\"announce\":[{\"prefix\":\"10.0.0.0/24\",\"nextHop\":\"192.0.2.1\",\"metric\":\"ten\"}]}", HttpStatusCode.BadRequest, "not a route batch")]
    [InlineData("no-such-process", "{\"withdraw\":[\"10.0.0.0/24\"]}", HttpStatusCode.NotFound, "Unknown process 'no-such-process'")]
    public async Task PostRoutes_BadInput_GetsProblemDetailsAndChangesNothing(string process, string body, HttpStatusCode status, string expected)
    {
        using var http = new HttpClient { BaseAddress = Api.BaseAddress };
        var before = process == "bgp-1" ? await Api.GetRoutesAsync(process) : null;
        using var response = await http.PostAsync($"api/processes/{process}/routes", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
        if (before is not null)
        {
            var after = await Api.GetRoutesAsync(process);
            Assert.Equal(before.Seq, after.Seq);
            Assert.Equal(TestRoutes.Lines(before.Routes.Select(r => r.Route)), TestRoutes.Lines(after.Routes.Select(r => r.Route)));
        }
    }

    [Fact]
    public async Task ReleaseAProcessThatIsNotQuarantined_Is409AndChangesNothing()
    {
        var before = (await Api.GetChassisAsync()).Processes.Single(p => p.Name == "bgp-3");
        var e = await Assert.ThrowsAsync<ChassisApiException>(() => Api.ReleaseAsync("bgp-3"));
        Assert.Equal(HttpStatusCode.Conflict, e.Status);
        Assert.Contains("not quarantined", e.Detail);
        var after = (await Api.GetChassisAsync()).Processes.Single(p => p.Name == "bgp-3");
        Assert.Equal((before.Epoch, before.State), (after.Epoch, after.State));
    }

    [Fact]
    public async Task CrashUnknownProcess_Is404()
    {
        var e = await Assert.ThrowsAsync<ChassisApiException>(() => Api.CrashAsync("ghost"));
        Assert.Equal(HttpStatusCode.NotFound, e.Status);
    }
}
