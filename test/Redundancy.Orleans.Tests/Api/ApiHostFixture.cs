extern alias silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Processes;
using silo::Redundancy.Orleans.Silo.Api;
using silo::Redundancy.Orleans.Silo.Configuration;
using Xunit;

namespace Redundancy.Orleans.Tests.Api;

/// <summary>
/// The management API's real web host (its middleware, endpoints and OpenAPI document) in this process on a test
/// server, without a cluster: the chassis services its endpoints take are registered but cannot be made, so a request
/// that reaches one fails the way an unanticipated bug would.
/// </summary>
public sealed class ApiHostFixture : IAsyncLifetime
{
    public WebApplication App { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Every <c>METHOD /api/...</c> route the host maps.</summary>
    public IReadOnlyList<string> MappedEndpoints =>
    [
        .. ((IEndpointRouteBuilder)App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal),
    ];

    public async Task InitializeAsync()
    {
        var chassis = new ChassisOptions();
        var builder = ApiHost.CreateBuilder([], new ConfigurationBuilder().AddInMemoryCollection().Build(), chassis);
        builder.WebHost.UseTestServer();
        AddChassisStandIns(builder.Services);

        // The routing application's endpoints, which its silo builder extension registers in a real silo.
        builder.Services.AddSingleton<Redundancy.Orleans.ManagementApi.IManagementApiEndpoints, Redundancy.Orleans.Routing.ManagementApi.RoutingEndpoints>();
        App = builder.Build();
        ApiHost.Map(App);
        await App.StartAsync();
        Http = App.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>
    /// The silo's services the management API's endpoints take, registered as stand-ins that cannot be made: a request
    /// that reaches one fails the way an unanticipated bug would.
    /// </summary>
    public static void AddChassisStandIns(IServiceCollection services)
    {
        foreach (var type in new[] { typeof(IGrainFactory), typeof(ProcessDirectory), typeof(ChassisStatusReader), typeof(CardDirectory), typeof(IClusterMembershipService), typeof(Redundancy.Orleans.History.ChassisHistory) })
        {
            services.AddSingleton(type, _ => throw new NoClusterException(type));
        }

        services.AddSingleton(TimeProvider.System);
    }

    /// <summary>What a chassis service throws here: nothing maps it, so it stands for a bug.</summary>
    private sealed class NoClusterException(Type type) : Exception($"no cluster in this test host ({type.Name})");
}
