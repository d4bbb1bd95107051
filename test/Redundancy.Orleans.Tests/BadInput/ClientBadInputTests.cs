using System.Net;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.MultiProcess;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.BadInput;

/// <summary>
/// The client SDK: arguments it can check itself are refused before any request is sent; what only the chassis
/// can judge comes back as <see cref="ChassisApiException"/> with the status and the problem detail, and
/// changes nothing.
/// </summary>
[Trait("Category", TestCategories.Cluster)]
public sealed class ClientBadInputTests
{
    private static readonly RouteUpdate Valid = TestRoutes.Announce(TestRoutes.V4("10.0.0.0/24"));

    public static TheoryData<string> LocalNames => new(LocalCases.Keys);

    private static Dictionary<string, (Func<ChassisClient, Task> Call, Type Error, string Parameter)> LocalCases => new()
    {
        ["routes: null process"] = (c => c.GetRoutesAsync(null!), typeof(ArgumentNullException), "process"),
        ["routes: empty process"] = (c => c.GetRoutesAsync(""), typeof(ArgumentException), "process"),
        ["forwarding: blank process"] = (c => c.GetForwardingAsync("   "), typeof(ArgumentException), "process"),
        ["update: empty process"] = (c => c.UpdateAsync("", Valid), typeof(ArgumentException), "process"),
        ["update: null update"] = (c => c.UpdateAsync("bgp-1", null!), typeof(ArgumentNullException), "update"),
        ["crash: blank process"] = (c => c.CrashAsync(" "), typeof(ArgumentException), "process"),
        ["release: null process"] = (c => c.ReleaseAsync(null!), typeof(ArgumentNullException), "process"),
        ["events: negative after"] = (c => c.GetEventsAsync(-1), typeof(ArgumentOutOfRangeException), "after"),
        ["kill: empty card"] = (c => c.KillCardAsync(""), typeof(ArgumentException), "card"),
        ["hang: null card"] = (c => c.HangCardAsync(null!), typeof(ArgumentNullException), "card"),
        ["resume: blank card"] = (c => c.ResumeCardAsync("\t"), typeof(ArgumentException), "card"),
        ["declare-dead: empty card"] = (c => c.DeclareCardDeadAsync(""), typeof(ArgumentException), "card"),
        ["process: blank name"] = (c => c.GetProcessAsync(" "), typeof(ArgumentException), "process"),
        ["switchover: slot 0"] = (c => c.SwitchoverAsync(0, "spare-1"), typeof(ArgumentOutOfRangeException), "slot"),
        ["switchover: no card"] = (c => c.SwitchoverAsync(1, ""), typeof(ArgumentException), "toCard"),
        ["stop: blank card"] = (c => c.StopCardAsync(" "), typeof(ArgumentException), "card"),
        ["start: no version"] = (c => c.StartCardAsync("card-1", ""), typeof(ArgumentException), "version"),
        ["start: null card"] = (c => c.StartCardAsync(null!, "1.0.0"), typeof(ArgumentNullException), "card"),
        ["build: empty card"] = (c => c.GetBuildAsync(""), typeof(ArgumentException), "card"),
        ["shadow-restore: blank card"] = (c => c.ShadowRestoreAsync("\t"), typeof(ArgumentException), "card"),
        ["campaign: null record"] = (c => c.SaveCampaignAsync(null!, null), typeof(ArgumentNullException), "record"),
        ["campaign: negative revision"] = (c => c.SaveCampaignAsync(new global::Redundancy.Orleans.Upgrade.CampaignRecord { Revision = -1 }, null), typeof(ArgumentOutOfRangeException), "record"),
        ["wait: null condition"] = (c => c.WaitForAsync(null!, TimeSpan.FromSeconds(1), "x"), typeof(ArgumentNullException), "condition"),
        ["wait: zero timeout"] = (c => c.WaitForAsync(_ => true, TimeSpan.Zero, "x"), typeof(ArgumentOutOfRangeException), "timeout"),
    };

    [Theory]
    [MemberData(nameof(LocalNames))]
    public async Task Call_BadArgument_ThrowsBeforeAnyRequest(string name)
    {
        var (call, error, parameter) = LocalCases[name];
        var handler = new CountingHandler();
        using var client = new ChassisClient(new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:9") });
        var thrown = await Assert.ThrowsAnyAsync<ArgumentException>(() => call(client));
        Assert.IsType(error, thrown);
        Assert.Equal(parameter, thrown.ParamName);
        Assert.Equal(0, handler.Requests);
    }

    [Theory]
    [InlineData("relative")]
    [InlineData("ftp://127.0.0.1/")]
    public void Create_NotAnHttpAddress_Throws(string address)
    {
        var error = Assert.Throws<ArgumentException>(() => new ChassisClient(new Uri(address, UriKind.RelativeOrAbsolute)));
        Assert.Contains("must be an absolute http(s) URL", error.Message);
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            throw new HttpRequestException("no server in this test");
        }
    }
}

/// <summary>The client SDK against a real chassis: refusals carry the status and the detail, and change nothing.</summary>
[Collection(EmbeddedChassisCollection.Name)]
[Trait("Category", TestCategories.Cluster)]
public sealed class ClientRefusalTests(EmbeddedChassisFixture fixture)
{
    public static TheoryData<string> Names => new(Cases.Keys);

    private static Dictionary<string, (Func<ChassisClient, Task> Call, HttpStatusCode Status, string Detail)> Cases => new()
    {
        ["update: unknown process"] = (c => c.UpdateAsync("nope", TestRoutes.Announce(TestRoutes.V4("10.0.0.0/24"))), HttpStatusCode.NotFound, "Unknown process 'nope'"),
        ["update: invalid process name"] = (c => c.UpdateAsync("no/such", TestRoutes.Announce(TestRoutes.V4("10.0.0.0/24"))), HttpStatusCode.BadRequest, "Process name 'no%2Fsuch' is invalid"), // a route value keeps an escaped slash
        ["update: non-canonical prefix"] = (c => c.UpdateAsync("bgp-1", TestRoutes.Announce(TestRoutes.V4("10.0.0.1/24"))), HttpStatusCode.BadRequest, "use '10.0.0.0/24'"),
        ["update: empty batch"] = (c => c.UpdateAsync("bgp-1", new RouteUpdate()), HttpStatusCode.BadRequest, "The batch is empty"),
        ["update: bad metric and next hop"] = (c => c.UpdateAsync("bgp-1", TestRoutes.Announce(TestRoutes.V4("10.0.0.0/24", "::", metric: -5))), HttpStatusCode.BadRequest, "2 problems; nothing was changed"),
        ["routes: unknown process"] = (c => c.GetRoutesAsync("nope"), HttpStatusCode.NotFound, "Unknown process 'nope'"),
        ["forwarding: unknown process"] = (c => c.GetForwardingAsync("nope"), HttpStatusCode.NotFound, "Unknown process 'nope'"),
        ["crash: unknown process"] = (c => c.CrashAsync("nope", poison: true), HttpStatusCode.NotFound, "Unknown process 'nope'"),
        ["release: not quarantined"] = (c => c.ReleaseAsync("ospf-1"), HttpStatusCode.Conflict, "not quarantined"),
        ["kill: unknown card"] = (c => c.KillCardAsync("card-99"), HttpStatusCode.NotFound, "Unknown card 'card-99'"),
        ["hang: control silo"] = (c => c.HangCardAsync("control"), HttpStatusCode.BadRequest, "is the control silo"),
        ["declare-dead: unknown card"] = (c => c.DeclareCardDeadAsync("card-99"), HttpStatusCode.NotFound, "Unknown card 'card-99'"),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Call_RefusedByTheChassis_ThrowsWithStatusAndDetailAndChangesNothing(string name)
    {
        var (call, status, detail) = Cases[name];
        var api = fixture.Chassis.Client;
        var before = await HttpBadInputTests.StableStateAsync(api);
        var error = await Assert.ThrowsAsync<ChassisApiException>(() => call(api));
        Assert.Equal(status, error.Status);
        Assert.True(error.Detail.Contains(detail, StringComparison.Ordinal), $"{name}: detail should contain \"{detail}\" but is \"{error.Detail}\"");
        Assert.Equal(before, await HttpBadInputTests.StateAsync(api));
    }
}
