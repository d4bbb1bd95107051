using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Redundancy.Orleans.Diagnostics;

namespace Redundancy.Orleans.Tests.Support;

/// <summary>A meter factory of its own, as each silo's host has one: what a test creates on it stays out of other tests.</summary>
internal sealed class TestMeters : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

    /// <summary>The runtime's instruments on this factory (one silo's).</summary>
    public RedundancyMetrics Runtime() => new(Factory);

    public void Dispose() => _services.Dispose();
}
