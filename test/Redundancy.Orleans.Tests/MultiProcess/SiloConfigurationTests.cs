using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>The real silo executable refuses bad configuration at start with exit code 2, naming the key and the value.</summary>
[Trait("Category", TestCategories.MultiProcess)]
public sealed class SiloConfigurationTests
{
    private const string Card = "--Chassis:Mode=card --Chassis:CardId=card-1 --Chassis:Role=line --Chassis:SiloPort=40000";

    [Theory]
    [InlineData("--Chassis:Slots=0", "Chassis:Slots must be 1..64 (got 0).")]
    [InlineData("--Chassis:Workload=full", "Chassis:Workload must be 'hosts' or 'table' (got 'full').")]
    [InlineData("--Chassis:RoutesPerProcess=200000", "Chassis:RoutesPerProcess must be 0..100000 (got 200000); Chassis:Workload=table loads up to 2000000.")]
    [InlineData("--Chassis:Workload=table --Chassis:RoutesPerProcess=2000001", "Chassis:RoutesPerProcess must be 0..2000000 with Chassis:Workload=table (got 2000001).")]
    [InlineData("--Chassis:WorkloadSeed=2147483647", "Chassis:WorkloadSeed must be 0..2147482623 (got 2147483647).")]
    [InlineData("--Chassis:Mode=cluster", "Chassis:Mode must be 'embedded' or 'card' (got 'cluster').")]
    [InlineData("--Chassis:Membership=redis", "Chassis:RedisConnectionString is required when Chassis:Membership is 'redis'.")]
    [InlineData("--Chassis:ApiUrl=ftp://x", "Chassis:ApiUrl must be an absolute http(s) URL (got 'ftp://x').")]
    [InlineData("--Chassis:ProbeTimeout=00:00:00.010", "Chassis:ProbeTimeout must be 100 ms..1 min (got 00:00:00.0100000).")]
    [InlineData("--Dashboard:ActionsEnabled=true", "Dashboard:Token is required when Dashboard:ActionsEnabled is true (got none).")]
    [InlineData("--Telemetry:OtlpEndpoint=localhost:4317", "Telemetry:OtlpEndpoint must be an absolute http(s) URL (got 'localhost:4317').")]
    [InlineData("--Chassis:NumMissedProbesLimit=0", "Chassis:NumMissedProbesLimit must be 1..10 (got 0).")]
    [InlineData("--Chassis:NumVotesForDeathDeclaration=0", "Chassis:NumVotesForDeathDeclaration must be 1..10 (got 0).")]
    [InlineData("--Chassis:DeathVoteExpirationTimeout=00:00:08", "Chassis:DeathVoteExpirationTimeout (00:00:08) must be at least twice Chassis:ProbeTimeout (00:00:05)")]
    [InlineData("--Redundancy:MaxConcurrentRestores=0", "Redundancy:MaxConcurrentRestores must be 1..1000 (got 0).")]
    [InlineData("--ClosedPortDetection:Witnesses=0", "ClosedPortDetection:Witnesses must be 1..8 (got 0).")]
    [InlineData("--Chassis:Slott=3", "Chassis: unknown key(s) 'Slott'; known keys: Mode, CardId,")]
    [InlineData("--Redundancy:ReplicaCont=2", "Redundancy: unknown key(s) 'ReplicaCont'; known keys: ")]
    [InlineData("--Routing:MaxBatchSze=5", "Routing: unknown key(s) 'MaxBatchSze'; known keys: MaxBatchSize")]
    [InlineData("--Telemetry:OtlpEndpont=http://localhost:4317", "Telemetry: unknown key(s) 'OtlpEndpont'; known keys: ")]
    [InlineData("--Dashboard:ActionsEnabeld=true", "Dashboard: unknown key(s) 'ActionsEnabeld'; known keys: ")]
    [InlineData("--ClosedPortDetection:Witnesess=2", "ClosedPortDetection: unknown key(s) 'Witnesess'; known keys: ")]
    [InlineData("--Redundancy:Processes:0:Name=chassis --Redundancy:Processes:0:Slot=1", "Redundancy:Processes:0:Name 'chassis' is reserved for the chassis manager.")]
    [InlineData("--Chassis:Slots=three", "Chassis:Slots has the value 'three', which is not a valid Int32.")]
    [InlineData("--Chassis:ProbeTimeout=soon", "Chassis:ProbeTimeout has the value 'soon', which is not a valid TimeSpan.")]
    [InlineData("--Redundancy:ReplicaCount=3", "Redundancy:ReplicaCount 3 needs 4 line cards (each replica on a distinct card other than the primary's), but Chassis:Slots is 3.")]
    [InlineData("--Redundancy:Processes:0:Name=bgp-9 --Redundancy:Processes:0:Slot=9", "Redundancy:Processes:0:Slot must be 1..3 (Chassis:Slots) (got 9) for process 'bgp-9'.")]
    [InlineData("--Redundancy:RestartWindow=-00:00:01", "Redundancy:RestartWindow must be more than 0 and at most 1 h (got -00:00:01).")]
    [InlineData("--Redundancy:RestoreAuditTimeout=00:00:10", "Redundancy:RestoreAuditTimeout (00:00:10) must not be longer than Redundancy:AuditTimeout (00:00:05).")]
    [InlineData("--Chassis:ApiUrl=http://0.0.0.0:8080", "Chassis:ApiToken is required when Chassis:ApiUrl is not a loopback address (got 'http://0.0.0.0:8080')")]
    [InlineData("--Chassis:ApiToken=short", "Chassis:ApiToken must be at least 16 characters without white space (got 5 characters).")]
    [InlineData("--Chassis:TlsCertificatePath=/nonexistent/card.pem", "Chassis:TlsCaPath is required with Chassis:TlsCertificatePath (got none)")]
    [InlineData("--Chassis:TlsCaPath=/tmp/ca.pem", "Chassis:TlsCaPath is set but Chassis:TlsCertificatePath is not")]
    [InlineData(Card + " --Chassis:Slot=4", "Chassis:Slot must be 1..3 (Chassis:Slots) for a line card (got 4).")]
    [InlineData(Card + " --Chassis:Slot=0", "Chassis:Slot must be 1..3 (Chassis:Slots) for a line card (got 0).")]
    [InlineData(Card, "Chassis:Slot must be 1..3 (Chassis:Slots) for a line card (got none).")]
    [InlineData(Card + " --Chassis:Slot=1 --Chassis:Role=boss", "Chassis:Role must be 'line', 'spare' or 'control' (got 'boss').")]
    [InlineData(Card + " --Chassis:Slot=1 --Chassis:AdvertisedHost=no_such_host.invalid", "Chassis:AdvertisedHost 'no_such_host.invalid' does not resolve")]
    public async Task Start_BadSetting_ExitsWithCode2AndNamesIt(string arguments, string expected)
    {
        var (code, output) = await RunSiloAsync(arguments.Split(' '));
        Assert.True(code == 2, $"exit code {code}, expected 2; output:\n{output}");
        Assert.Contains("configuration error: " + expected, output);
    }

    [Fact]
    public async Task Start_BadCardIdentity_ExitsWithCode2AndNamesIt()
    {
        var (code, output) = await RunSiloAsync("--Chassis:Mode=card", "--Chassis:CardId=card 1", "--Chassis:Role=line", "--Chassis:Slot=1", "--Chassis:SiloPort=40000");
        Assert.Equal(2, code);
        Assert.Contains("Card id 'card 1' is invalid", output);
    }

    [Fact]
    public async Task Start_RedisUnreachable_ExitsWithCode2WithinTheBoundAndNamesIt()
    {
        var closed = $"127.0.0.1:{FreePorts.One()}";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (code, output) = await RunSiloAsync("--Chassis:Membership=redis", $"--Chassis:RedisConnectionString={closed}");
        Assert.True(code == 2, $"exit code {code}, expected 2; output:\n{output}");
        Assert.Contains($"configuration error: Chassis:RedisConnectionString '{closed}' is unreachable (waited up to 5 s)", output);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"refusing took {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Start_CertificateNotFromTheChassisCa_ExitsWithCode2AndNamesIt()
    {
        var dir = Directory.CreateTempSubdirectory("redundancy-tls-").FullName;
        TestCertificates.WritePem(TestCertificates.CreateCa("Chassis CA"), Path.Combine(dir, "ca.pem"));
        TestCertificates.WritePem(TestCertificates.CreateLeaf("card-1", TestCertificates.CreateCa("Other CA")), Path.Combine(dir, "card.pem"), Path.Combine(dir, "card.key"));
        var (code, output) = await RunSiloAsync($"--Chassis:TlsCertificatePath={dir}/card.pem", $"--Chassis:TlsKeyPath={dir}/card.key", $"--Chassis:TlsCaPath={dir}/ca.pem");
        Assert.True(code == 2, $"exit code {code}, expected 2; output:\n{output}");
        Assert.Contains($"configuration error: Chassis:TlsCertificatePath '{dir}/card.pem': certificate 'CN=card-1' does not chain to the chassis CA", output);
    }

    private static Task<(int Code, string Output)> RunSiloAsync(params string[] arguments) =>
        SiloProcess.RunToExitAsync(TimeSpan.FromSeconds(60), arguments);
}
