using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Security;

/// <summary>Mutual TLS between silos and between clients and silos: only certificates from the chassis CA get in.</summary>
[Trait("Category", TestCategories.Cluster)]
public sealed class MutualTlsTests(TlsCluster cluster) : IClassFixture<TlsCluster>
{
    [Fact]
    public async Task Client_CertificateFromChassisCa_ConnectsAndCallsAGrain()
    {
        using var client = await cluster.ConnectClientAsync(TestCertificates.CreateLeaf("dashboard", cluster.Ca), cluster.Trust);
        var hosts = await client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Contains(hosts.Keys, s => s.Endpoint.Port == cluster.PrimaryPort);
    }

    [Theory]
    [InlineData("another CA")]
    [InlineData("self-signed")]
    [InlineData("no TLS at all")]
    public async Task Client_WithoutAValidCertificate_IsRefused(string kind)
    {
        var certificate = kind switch
        {
            "another CA" => TestCertificates.CreateLeaf("intruder", cluster.OtherCa),
            "self-signed" => TestCertificates.CreateLeaf("intruder", null),
            _ => null,
        };
        var connect = cluster.ConnectClientAsync(certificate, cluster.RogueTrust);
        var error = await Record.ExceptionAsync(async () =>
        {
            using var client = await connect;
            await client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetHosts().WaitAsync(TlsCluster.Timeout);
        });
        Assert.True(error is not null and not TimeoutException, $"a client with {kind} must be refused at connect, got {error?.GetType().Name ?? "a connection"}: {error?.Message}");
    }

    [Fact]
    public async Task Silo_CertificateFromChassisCa_JoinsTheCluster()
    {
        var port = FreePorts.Range(1);
        using var silo = await cluster.StartSiloAsync(port, TestCertificates.CreateLeaf("card-2", cluster.Ca), cluster.Trust);
        try
        {
            await Eventually.WaitAsync(cluster.ActiveSilosAsync, a => a.Keys.Any(s => s.Endpoint.Port == port), TlsCluster.Timeout,
                $"the silo on port {port} (certificate from the chassis CA) active in the primary's membership",
                a => string.Join(", ", a.Keys));
        }
        finally
        {
            await silo.StopAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Silo_CertificateFromAnotherCa_IsRefusedAndNeverBecomesActive()
    {
        var port = FreePorts.Range(1);
        var logs = new CapturedLogs();
        using var silo = cluster.BuildSilo(port, TestCertificates.CreateLeaf("card-x", cluster.OtherCa), cluster.RogueTrust, logs);
        var start = silo.StartAsync();
        try
        {
            // The primary closes every connection the rogue silo opens: wait for the rogue silo to see that.
            await Eventually.WaitAsync(() => Task.FromResult(logs.Entries.ToList()),
                entries => entries.Any(e => e.Contains("Connection terminated prematurely", StringComparison.Ordinal) || e.Contains("AuthenticationException", StringComparison.Ordinal)),
                TlsCluster.Timeout, $"the rogue silo on port {port} to be refused by the primary", entries => string.Join(" | ", entries.Take(5)));
            Assert.False(start.IsCompletedSuccessfully, $"the rogue silo on port {port} started although the chassis refuses its certificate");
            var active = await cluster.ActiveSilosAsync();
            Assert.DoesNotContain(active.Keys, s => s.Endpoint.Port == port);
        }
        finally
        {
            await StopQuietlyAsync(silo, start);
        }
    }

    private static async Task StopQuietlyAsync(IHost silo, Task start)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await silo.StopAsync(cts.Token);
            await start.WaitAsync(cts.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // It never joined: stopping a start that cannot complete may throw; the test's verdict is already made.
        }
    }
}
