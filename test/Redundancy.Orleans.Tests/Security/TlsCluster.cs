using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Security;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Security;

/// <summary>
/// In-process silos and clients on loopback with the chassis's mutual TLS: a chassis CA, a primary silo with a
/// certificate from it, and certificates for the tests (from the CA, from another CA, self-signed).
/// </summary>
public sealed class TlsCluster : IAsyncLifetime
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public X509Certificate2 Ca { get; } = TestCertificates.CreateCa("Test Chassis CA");

    public X509Certificate2 OtherCa { get; } = TestCertificates.CreateCa("Rogue CA");

    public string ClusterId { get; } = "tls-" + Guid.NewGuid().ToString("N")[..8];

    public int PrimaryPort { get; private set; }

    public IHost Primary { get; private set; } = null!;

    public X509Certificate2Collection Trust => [Ca];

    /// <summary>What a rogue peer trusts: both CAs, so that the only refusal can come from the chassis side.</summary>
    public X509Certificate2Collection RogueTrust => [Ca, OtherCa];

    public async Task InitializeAsync()
    {
        PrimaryPort = FreePorts.Range(4);
        Primary = await StartSiloAsync(PrimaryPort, TestCertificates.CreateLeaf("card-1", Ca), Trust);
    }

    public async Task DisposeAsync()
    {
        await Primary.StopAsync(TimeSpan.FromSeconds(10));
        Primary.Dispose();
    }

    /// <summary>Builds a silo of this cluster on <paramref name="port"/> (not started).</summary>
    public IHost BuildSilo(int port, X509Certificate2 certificate, X509Certificate2Collection trust, CapturedLogs? logs = null) =>
        Host.CreateDefaultBuilder()
            .ConfigureLogging(l =>
            {
                l.SetMinimumLevel(LogLevel.Warning);
                if (logs is not null)
                {
                    l.AddProvider(logs);
                }
            })
            .UseOrleans(silo =>
            {
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterId, ClusterId));
                silo.ConfigureEndpoints(IPAddress.Loopback, port, port + 10000);
                silo.UseDevelopmentClustering(new IPEndPoint(IPAddress.Loopback, PrimaryPort));
                silo.UseChassisTls(certificate, trust);
            })
            .Build();

    public async Task<IHost> StartSiloAsync(int port, X509Certificate2 certificate, X509Certificate2Collection trust)
    {
        var host = BuildSilo(port, certificate, trust);
        await host.StartAsync().WaitAsync(Timeout);
        return host;
    }

    /// <summary>Connects a client to the primary's gateway; <paramref name="certificate"/> null: without TLS.</summary>
    public async Task<IHost> ConnectClientAsync(X509Certificate2? certificate, X509Certificate2Collection trust)
    {
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterId, ClusterId));
                client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, PrimaryPort + 10000));

                // No retries: a refused client fails its start with the reason instead of retrying until a timeout.
                client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
                if (certificate is not null)
                {
                    client.UseChassisTls(certificate, trust);
                }
            })
            .Build();
        try
        {
            await host.StartAsync().WaitAsync(Timeout);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>The silos the primary's membership has active.</summary>
    public async Task<Dictionary<SiloAddress, SiloStatus>> ActiveSilosAsync() =>
        await Primary.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
}
