using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Redundancy.Orleans.ManagementApi;
using Redundancy.Orleans.ManagementApi.Hosting;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Api;

/// <summary>
/// The management API as a library in a host of its own (no silo, no chassis services): mapped under any prefix, an
/// application's endpoints join its group (token, problem details, OpenAPI document), card faults without an
/// <see cref="ICardController"/> answer 501, and a bad prefix or a host without a silo is refused when mapping.
/// </summary>
[Trait("Category", TestCategories.Cluster)]
public sealed class ManagementApiLibraryTests
{
    private const string Token = "library-test-token-0123456789";

    [Fact]
    public async Task ApplicationEndpoints_JoinTheGroup_UnderItsPrefix_WithTheTokenAndTheDocument()
    {
        await using var app = await StartAsync("/mgmt");
        using var http = app.GetTestClient();

        // A read on the application's endpoint passes without a token (reads are free unless the host says otherwise).
        Assert.Equal("pong", await http.GetStringAsync("/mgmt/echo/pong"));

        // A change needs the token: refused 401 as a problem naming the host's setting, then accepted with it.
        var refused = await http.PostAsync("/mgmt/echo/ping", null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var detail = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("needs the management API token", detail);
        Assert.Contains("Test:Token", detail);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mgmt/echo/ping") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) } };
        var accepted = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("\"ping\"", await accepted.Content.ReadAsStringAsync());

        // The OpenAPI document describes the application's operations with the API's own, under the prefix; the host's
        // other endpoints are not in it.
        var document = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/mgmt/echo/{text}", paths);
        Assert.Contains("/mgmt/chassis", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/api/", StringComparison.Ordinal) || p == "/host-page");
        Assert.Equal("EchoPost", document.GetProperty("paths").GetProperty("/mgmt/echo/{text}").GetProperty("post").GetProperty("operationId").GetString());
    }

    [Fact]
    public async Task CardFaults_WithoutACardController_Answer501_AndSayWhatIsAvailable()
    {
        await using var app = await StartAsync("/api");
        using var http = app.GetTestClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        foreach (var path in new[] { "/api/cards/card-2/kill", "/api/cards/card-2/hang", "/api/cards/card-2/resume", "/api/cards", "/api/cards/card-2/stop", "/api/cards/card-2/start?version=1.0.0" })
        {
            var answer = await http.PostAsync(path, null);
            Assert.True(answer.StatusCode == HttpStatusCode.NotImplemented, $"POST {path}: expected 501, got {(int)answer.StatusCode}");
            Assert.Contains("declare-dead is available", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task MapRedundancyManagementApi_WithoutASiloInTheHost_SaysWhatIsMissing()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddRedundancyManagementApi();
        await using var app = builder.Build();
        var refused = Assert.Throws<InvalidOperationException>(() => app.MapRedundancyManagementApi());
        Assert.Contains("AddProcessRedundancy", refused.Message);
    }

    [Fact]
    public async Task MapRedundancyManagementApi_Twice_IsRefused()
    {
        await using var app = await StartAsync("/mgmt");
        var refused = Assert.Throws<InvalidOperationException>(() => app.MapRedundancyManagementApi("/other"));
        Assert.Contains("already mapped (at '/mgmt')", refused.Message);
    }

    [Fact]
    public async Task UnknownPath_UnderAnyPrefix_NamesWhereTheApiIs()
    {
        await using var app = await StartAsync("/mgmt");
        using var http = app.GetTestClient();
        var answer = await http.GetAsync("/mgmt/nothing");
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Contains("see GET /mgmt/chassis", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("api")]
    [InlineData("/api/")]
    [InlineData(" ")]
    public async Task MapRedundancyManagementApi_BadPrefix_IsRefused(string prefix)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddRedundancyManagementApi();
        ApiHostFixture.AddChassisStandIns(builder.Services);
        await using var app = builder.Build();
        var refused = Assert.ThrowsAny<ArgumentException>(() => app.MapRedundancyManagementApi(prefix));
        Assert.Contains("prefix", refused.Message);
    }

    private static async Task<WebApplication> StartAsync(string prefix)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddRedundancyManagementApi(o =>
        {
            o.Token = Token;
            o.TokenSetting = "Test:Token";
        });
        builder.Services.AddSingleton<IManagementApiEndpoints, EchoEndpoints>();
        ApiHostFixture.AddChassisStandIns(builder.Services);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGet("/host-page", () => "the host's own page");
        app.MapRedundancyManagementApi(prefix);
        await app.StartAsync();
        return app;
    }

    /// <summary>An application's endpoints: what the routing application does for its routes, in miniature.</summary>
    private sealed class EchoEndpoints : IManagementApiEndpoints
    {
        public void Map(IEndpointRouteBuilder api)
        {
            api.MapGet("/echo/{text}", (string text) => Results.Text(text)).Describe<string>("Echo", "EchoGet", "Echoes");
            api.MapPost("/echo/{text}", (string text) => ManagementResults.Guard(() => Task.FromResult(text))).Describe<string>("Echo", "EchoPost", "Echoes a change");
        }
    }
}
