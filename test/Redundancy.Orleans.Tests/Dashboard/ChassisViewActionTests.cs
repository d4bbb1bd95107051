using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Redundancy.Orleans.Monitoring.ChassisView;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Dashboard;

/// <summary>The dashboard is read-only unless actions are enabled, and then every action needs the token.</summary>
[Trait("Category", TestCategories.Cluster)]
public sealed class ChassisViewActionTests
{
    private const string Token = "0123456789abcdef-test-token";

    [Theory]
    [InlineData("api/actions/cards/card-2/kill")]
    [InlineData("api/actions/processes/bgp-1/crash")]
    [InlineData("api/actions/cards")]
    public async Task Action_Disabled_RefusedWith403EvenWithTheToken(string path)
    {
        await using var host = await ChassisViewHost.StartAsync(new ChassisViewOptions { ActionsEnabled = false, Token = Token });

        var response = await PostAsync(host, path, Token);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "Dashboard:ActionsEnabled");
        Assert.Empty(host.Actions.Performed);
    }

    [Theory]
    [InlineData(null, "no bearer token")]
    [InlineData("wrong-token-wrong-token", "not the configured one")]
    [InlineData("0123456789abcdef-test-toke", "not the configured one")]
    public async Task Action_EnabledWithoutTheRightToken_RefusedWith401(string? token, string expected)
    {
        await using var host = await ChassisViewHost.StartAsync(new ChassisViewOptions { ActionsEnabled = true, Token = Token });

        var response = await PostAsync(host, "api/actions/cards/card-2/kill", token);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, expected);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Empty(host.Actions.Performed);
    }

    [Fact]
    public async Task Action_EnabledWithTheToken_IsPerformed()
    {
        await using var host = await ChassisViewHost.StartAsync(new ChassisViewOptions { ActionsEnabled = true, Token = Token });

        var kill = await PostAsync(host, "api/actions/cards/card-2/kill", Token);
        var crash = await PostAsync(host, "api/actions/processes/bgp-1/crash", Token);

        Assert.Equal(HttpStatusCode.OK, kill.StatusCode);
        Assert.Equal(HttpStatusCode.OK, crash.StatusCode);
        Assert.Equal(["kill card-2", "crash bgp-1"], host.Actions.Performed);
    }

    [Theory]
    [InlineData(true, null, "Dashboard:Token is required when Dashboard:ActionsEnabled is true (got none).")]
    [InlineData(true, "short", "Dashboard:Token must be at least 16 characters (got 5).")]
    public void AddChassisView_ActionsWithoutAUsableToken_RefusesToStart(bool enabled, string? token, string expected)
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();

        var e = Assert.Throws<ArgumentException>(() => services.AddChassisView(new ChassisViewOptions { ActionsEnabled = enabled, Token = token }));

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Options_NonLoopbackUrl_RefusedUnlessAllowed()
    {
        Assert.Contains("Dashboard:Url must be on loopback unless Dashboard:AllowRemote is true (got 'http://0.0.0.0:8090').",
            new ChassisViewOptions { Url = "http://0.0.0.0:8090" }.Validate());
        Assert.Empty(new ChassisViewOptions { Url = "http://0.0.0.0:8090", AllowRemote = true }.Validate());
        Assert.Empty(new ChassisViewOptions().Validate());
    }

    [Fact]
    public async Task Stream_SendsTheSnapshotAsServerSentEvents()
    {
        await using var host = await ChassisViewHost.StartAsync(new ChassisViewOptions());
        using var request = new HttpRequestMessage(HttpMethod.Get, "chassis/api/stream");
        using var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The first event may be the empty snapshot from before the first read: wait for one with the status.
        var data = await Eventually.WaitAsync(async () => await ReadEventDataAsync(reader), d => d.Contains("\"bgp-1\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "a snapshot event with process bgp-1");

        using var snapshot = JsonDocument.Parse(data);
        Assert.Equal("card-1", snapshot.RootElement.GetProperty("status").GetProperty("processes")[0].GetProperty("cardId").GetString());
        Assert.False(snapshot.RootElement.GetProperty("actionsEnabled").GetBoolean());
    }

    [Fact]
    public async Task Page_ServedWithItsScriptAndStyle_AndTheBarePathRedirectsToIt()
    {
        await using var host = await ChassisViewHost.StartAsync(new ChassisViewOptions());

        var page = await host.Http.GetStringAsync("chassis/");
        Assert.Contains("data-testid=\"timeline\"", page);
        Assert.Contains("EventSource", await host.Http.GetStringAsync("chassis/chassis.js"));
        Assert.Contains(".card", await host.Http.GetStringAsync("chassis/chassis.css"));
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Url };
        var bare = await noRedirect.GetAsync("chassis");
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("/chassis/", bare.Headers.Location?.ToString());
    }

    private static async Task<string> ReadEventDataAsync(StreamReader reader)
    {
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line["data: ".Length..];
            }
        }

        throw new EndOfStreamException("The event stream ended.");
    }

    private static async Task<HttpResponseMessage> PostAsync(ChassisViewHost host, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "chassis/" + path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await host.Http.SendAsync(request);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detailContains, JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
    }
}
