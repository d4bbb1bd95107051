using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Packaging;

/// <summary>
/// The routing application is an application of the runtime, not part of it: the runtime, its contracts, the .NET client,
/// monitoring and the dashboard neither reference an assembly of the routing application nor declare a type of its
/// namespace, so a new application (or a new build of this one) does not rebuild them. Read from the built assemblies'
/// metadata, not from the sources.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class RoutingApplicationBoundaryTests
{
    private const string Routing = "Redundancy.Orleans.Routing";

    public static TheoryData<string> RouteAgnosticAssemblies() => new()
    {
        Path.Combine(AppContext.BaseDirectory, "Redundancy.Orleans.dll"),
        Path.Combine(AppContext.BaseDirectory, "Redundancy.Orleans.Abstractions.dll"),
        Path.Combine(AppContext.BaseDirectory, "Redundancy.Orleans.Contracts.dll"),
        Path.Combine(AppContext.BaseDirectory, "Redundancy.Orleans.Client.dll"),
        Path.Combine(AppContext.BaseDirectory, "Redundancy.Orleans.Monitoring.dll"),
        Path.Combine(AppContext.BaseDirectory, "Redundancy.Orleans.ManagementApi.dll"),
        RepoPaths.DashboardDll,
    };

    [Theory]
    [MemberData(nameof(RouteAgnosticAssemblies))]
    public void Assembly_KnowsNothingOfTheRoutingApplication(string path)
    {
        var (references, types) = Read(path);

        Assert.True(references.Count > 0, $"{path}: no assembly references read; the check would prove nothing.");
        Assert.DoesNotContain(references, r => r.StartsWith(Routing, StringComparison.Ordinal));
        Assert.DoesNotContain(types, t => t.StartsWith(Routing + ".", StringComparison.Ordinal));
    }

    [Fact]
    public void RoutingContracts_DeclareTheRoutesTheOthersNoLongerDo()
    {
        // The boundary check above must be able to fail: the routing records are somewhere, and that is the routing contracts.
        var (_, types) = Read(Path.Combine(AppContext.BaseDirectory, "Redundancy.Orleans.Routing.Contracts.dll"));

        Assert.Contains($"{Routing}.Route", types);
        Assert.Contains($"{Routing}.RouteUpdate", types);
        Assert.Contains($"{Routing}.RouteValidator", types);
    }

    /// <summary>The assemblies an assembly references and the full names of the types it declares, from its metadata.</summary>
    private static (List<string> References, List<string> Types) Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var references = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();
        var types = metadata.TypeDefinitions.Select(h => metadata.GetTypeDefinition(h))
            .Select(t => $"{metadata.GetString(t.Namespace)}.{metadata.GetString(t.Name)}")
            .ToList();
        return (references, types);
    }
}
