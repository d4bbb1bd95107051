using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Redundancy.Orleans.FailureDetection;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Tests.Unit;

/// <summary>
/// Closed-port evidence (issue 12): a silo is declared dead only when its port refuses connections here and a second
/// card agrees; an open port, no agreement, no other card or a graceful shutdown never declare anything. Real sockets on
/// loopback (a port nothing listens on refuses at once); membership and the witnesses are fakes.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class ClosedPortDetectorTests
{
    // A refusal on loopback is immediate; the timeout only matters on a starved machine (a check that times out proves nothing).
    private static readonly ClosedPortDetectionOptions Fast = new() { PortCheckTimeout = TimeSpan.FromSeconds(1), Attempts = 2, Witnesses = 2 };

    [Fact]
    public async Task PortRefused_AndASecondCardAgrees_DeclaresTheSiloDead()
    {
        var world = new World(targetListening: false);
        world.Witnesses.Answer = (_, asked) => asked[0];

        await world.Detector.CheckAsync(world.TargetMember);

        Assert.Equal([world.Target], world.Membership.Killed);
        var asked = Assert.Single(world.Witnesses.Asked);
        Assert.Equal(2, asked.Count);
        Assert.DoesNotContain(world.Local, asked);
        Assert.DoesNotContain(world.Target, asked);
    }

    [Fact]
    public async Task PortRefused_ButNoSecondCardAgrees_LeavesTheSiloToTheProbes()
    {
        var world = new World(targetListening: false);
        world.Witnesses.Answer = (_, _) => null;

        await world.Detector.CheckAsync(world.TargetMember);

        Assert.Empty(world.Membership.Killed);
        Assert.Equal(Fast.Attempts, world.Witnesses.Asked.Count);
    }

    [Fact]
    public async Task PortOpen_NeverAsksAWitnessNorDeclaresAnything()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var world = new World(targetListening: true, ((IPEndPoint)listener.LocalEndpoint).Port);
        world.Witnesses.Answer = (_, asked) => asked[0];

        await world.Detector.CheckAsync(world.TargetMember);

        Assert.Empty(world.Membership.Killed);
        Assert.Empty(world.Witnesses.Asked);
    }

    [Fact]
    public async Task AnInboundConnectionEnded_ChecksEveryActiveSilo_AndDeclaresOnlyTheOneThatRefuses()
    {
        // Orleans also sends over connections the other silo opened: a card whose only connection to a killed silo was
        // inbound learns nothing from its outbound side, and does not know which silo an inbound connection came from.
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        var world = new World(targetListening: false, others: 0);
        var listening = new[] { first, second }.Select(l => SiloAddress.New((IPEndPoint)l.LocalEndpoint, 1)).ToList();
        listening.ForEach(s => world.Membership.Set(s, SiloStatus.Active));
        world.Witnesses.Answer = (_, asked) => asked[0];

        await world.Detector.CheckEveryActiveAsync();

        Assert.Equal([world.Target], world.Membership.Killed);
        var asked = Assert.Single(world.Witnesses.Asked); // only the silo whose port refused needed a second opinion
        Assert.Equal(listening.Order(), asked.Order());
    }

    [Fact]
    public async Task PortRefused_WithNoOtherCardToAsk_DeclaresNothing()
    {
        var world = new World(targetListening: false, others: 0);
        world.Witnesses.Answer = (_, _) => throw new InvalidOperationException("no witness exists to be asked");

        await world.Detector.CheckAsync(world.TargetMember);

        Assert.Empty(world.Membership.Killed);
        Assert.Empty(world.Witnesses.Asked);
    }

    [Fact]
    public async Task SiloThatStoppedGracefully_IsNotDeclaredDead()
    {
        // A silo shutting down writes that to the table, then closes its port: the refresh before the kill reads it.
        var world = new World(targetListening: false);
        world.Witnesses.Answer = (_, asked) => asked[0];
        world.Membership.OnRefresh = () => world.Membership.Set(world.Target, SiloStatus.ShuttingDown);

        await world.Detector.CheckAsync(world.TargetMember);

        Assert.Empty(world.Membership.Killed);
    }

    [Fact]
    public async Task PortCheck_TellsRefusedFromListening()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var open = (IPEndPoint)listener.LocalEndpoint;
        var closed = new IPEndPoint(IPAddress.Loopback, FreePorts.One());

        Assert.Equal(PortState.Open, await PortCheck.CheckAsync(open, TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Equal(PortState.Closed, await PortCheck.CheckAsync(closed, TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public void Options_OutOfRange_NameFieldAndValue()
    {
        Assert.Equal(
            [
                "ClosedPortDetection:PortCheckTimeout must be 10 ms..30 s (got 00:00:00).",
                "ClosedPortDetection:WitnessTimeout must be 10 ms..30 s (got 00:01:00).",
                "ClosedPortDetection:Witnesses must be 1..8 (got 0).",
                "ClosedPortDetection:Attempts must be 1..10 (got 11).",
            ],
            ClosedPortDetectionOptionsValidator.Collect(new ClosedPortDetectionOptions
            {
                PortCheckTimeout = TimeSpan.Zero, WitnessTimeout = TimeSpan.FromMinutes(1), Witnesses = 0, Attempts = 11,
            }));
    }

    [Fact]
    public void Options_Defaults_AreValid() => Assert.Empty(ClosedPortDetectionOptionsValidator.Collect(new ClosedPortDetectionOptions()));

    /// <summary>This silo, the target and <c>others</c> further active silos; the target's port is a real loopback port.</summary>
    private sealed class World
    {
        public World(bool targetListening, int? port = null, int others = 3)
        {
            Local = Silo(FreePorts.One());
            Target = Silo(targetListening ? port!.Value : FreePorts.One());
            Membership.Set(Local, SiloStatus.Active);
            Membership.Set(Target, SiloStatus.Active);
            for (var i = 0; i < others; i++)
            {
                Membership.Set(Silo(FreePorts.One()), SiloStatus.Active);
            }

            Detector = new ClosedPortDetector(Membership, new LocalSilo(Local), Witnesses, Options.Create(Fast), Meters.Runtime(), NullLogger<ClosedPortDetector>.Instance);
        }

        public TestMeters Meters { get; } = new();

        public SiloAddress Local { get; }

        public SiloAddress Target { get; }

        public FakeMembership Membership { get; } = new();

        public FakeWitnesses Witnesses { get; } = new();

        public ClosedPortDetector Detector { get; }

        public ClusterMember TargetMember => Membership.CurrentSnapshot.Members[Target];

        private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);
    }

    private sealed class FakeMembership : IClusterMembershipService
    {
        private long _version;

        public ClusterMembershipSnapshot CurrentSnapshot { get; private set; } = new(ImmutableDictionary<SiloAddress, ClusterMember>.Empty, MembershipVersion.MinValue);

        public IAsyncEnumerable<ClusterMembershipSnapshot> MembershipUpdates => AsyncEnumerable.Empty<ClusterMembershipSnapshot>();

        public List<SiloAddress> Killed { get; } = [];

        public Action? OnRefresh { get; set; }

        public void Set(SiloAddress silo, SiloStatus status) =>
            CurrentSnapshot = new ClusterMembershipSnapshot(CurrentSnapshot.Members.SetItem(silo, new ClusterMember(silo, status, $"card-{silo.Endpoint.Port}")), new MembershipVersion(++_version));

        public ValueTask Refresh(MembershipVersion minimumVersion = default, CancellationToken cancellationToken = default)
        {
            OnRefresh?.Invoke();
            return ValueTask.CompletedTask;
        }

        public Task<bool> TryKill(SiloAddress siloAddress)
        {
            Killed.Add(siloAddress);
            return Task.FromResult(true);
        }
    }

    private sealed class FakeWitnesses : ILivenessWitnesses
    {
        public Func<SiloAddress, IReadOnlyList<SiloAddress>, SiloAddress?> Answer { get; set; } = (_, _) => null;

        public List<IReadOnlyList<SiloAddress>> Asked { get; } = [];

        public Task<SiloAddress?> ConfirmAsync(SiloAddress target, IReadOnlyList<SiloAddress> witnesses, TimeSpan timeout)
        {
            Asked.Add(witnesses);
            return Task.FromResult(Answer(target, witnesses));
        }
    }

    private sealed class LocalSilo(SiloAddress address) : ILocalSiloDetails
    {
        public string ClusterId => "test";

        public string DnsHostName => "localhost";

        public SiloAddress GatewayAddress => address;

        public string Name => "local";

        public SiloAddress SiloAddress => address;
    }
}
