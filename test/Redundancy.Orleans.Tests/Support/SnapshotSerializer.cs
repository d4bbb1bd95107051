using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Redundancy.Orleans.Routing.State;

namespace Redundancy.Orleans.Tests.Support;

/// <summary>The Orleans serializer as a silo of this build has it, for hot-state snapshots.</summary>
internal static class SnapshotSerializer
{
    private static readonly Lazy<IServiceProvider> Services = new(() => new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(RoutingState).Assembly))
        .BuildServiceProvider());

    public static Serializer<T> For<T>() => Services.Value.GetRequiredService<Serializer<T>>();

    public static Serializer Any => Services.Value.GetRequiredService<Serializer>();

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Snapshots", name);
}
