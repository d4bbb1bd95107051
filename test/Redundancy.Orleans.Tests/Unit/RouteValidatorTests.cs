using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

[Trait("Category", TestCategories.Unit)]
public sealed class RouteValidatorTests
{
    [Theory]
    [InlineData("10.0.0.0/24")]
    [InlineData("0.0.0.0/0")]
    [InlineData("192.0.2.1/32")]
    [InlineData("2001:db8::/32")]
    [InlineData("::/0")]
    [InlineData("2001:db8::1/128")]
    public void Validate_CanonicalPrefix_IsAccepted(string prefix)
    {
        var nextHop = prefix.Contains(':') ? "2001:db8::ff" : "192.0.2.1";
        Assert.Empty(RouteValidator.Validate(TestRoutes.Announce(TestRoutes.V4(prefix, nextHop))));
    }

    [Theory]
    [InlineData("10.0.0.1/24", "not canonical", "10.0.0.0/24")]
    [InlineData("10.0.0.0/33", "outside 0..32", null)]
    [InlineData("2001:db8::/129", "outside 0..128", null)]
    [InlineData("10.0.0.0", "no prefix length", null)]
    [InlineData("10.0.0.0/-1", "outside", null)]
    [InlineData("10.0.0.0/24x", "outside", null)]
    [InlineData("banana/24", "does not start with an IP address", null)]
    [InlineData("10.1/16", "does not start with an IP address", null)]
    [InlineData("", "is empty", null)]
    [InlineData("2001:DB8::/32", "not canonical", "2001:db8::/32")]
    [InlineData("2001:db8:0:0::/64", "not canonical", "2001:db8::/64")]
    [InlineData("fe80::1%eth0/64", "does not start with an IP address", null)]
    public void Validate_BadPrefix_NamesTheProblem(string prefix, string expected, string? suggestion)
    {
        var errors = RouteValidator.Validate(TestRoutes.Announce(TestRoutes.V4(prefix)));
        var error = Assert.Single(errors, e => e.StartsWith("announce[0].prefix", StringComparison.Ordinal));
        Assert.Contains(expected, error);
        if (suggestion is not null)
        {
            Assert.Contains($"'{suggestion}'", error);
        }
    }

    [Fact]
    public void Validate_NextHopOfWrongFamily_IsRefused()
    {
        var error = Assert.Single(RouteValidator.Validate(TestRoutes.Announce(TestRoutes.V4("10.0.0.0/24", "2001:db8::1"))));
        Assert.Contains("is IPv6 but prefix '10.0.0.0/24' is IPv4", error);
    }

    [Theory]
    [InlineData("not-an-ip", "not an IP address")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("192.000.002.001", "not canonical")]
    public void Validate_BadNextHop_IsRefused(string nextHop, string expected) =>
        Assert.Contains(expected, Assert.Single(RouteValidator.Validate(TestRoutes.Announce(TestRoutes.V4("10.0.0.0/24", nextHop)))));

    [Theory]
    [InlineData(-1)]
    [InlineData(RouteValidator.MaxMetric + 1)]
    public void Validate_MetricOutOfRange_IsRefused(int metric) =>
        Assert.Contains("out of range", Assert.Single(RouteValidator.Validate(TestRoutes.Announce(TestRoutes.V4("10.0.0.0/24", metric: metric)))));

    [Fact]
    public void Validate_UnknownOrigin_IsRefused() =>
        Assert.Contains("origin 'carrier-pigeon' is unknown", Assert.Single(RouteValidator.Validate(TestRoutes.Announce(TestRoutes.V4("10.0.0.0/24", origin: "carrier-pigeon")))));

    [Fact]
    public void Validate_EmptyBatch_IsRefused() =>
        Assert.Contains("empty", Assert.Single(RouteValidator.Validate(new RouteUpdate())));

    [Fact]
    public void Validate_NullBatch_IsRefused() =>
        Assert.Contains("missing", Assert.Single(RouteValidator.Validate(null)));

    [Fact]
    public void Validate_OversizedBatch_IsRefused()
    {
        var update = new RouteUpdate { Withdraw = Enumerable.Range(0, 11).Select(i => $"10.0.{i}.0/24").ToList() };
        Assert.Contains("at most 10", Assert.Single(RouteValidator.Validate(update, maxBatch: 10)));
    }

    [Fact]
    public void Validate_SamePrefixAnnouncedAndWithdrawn_IsRefused()
    {
        var update = new RouteUpdate { Announce = [TestRoutes.V4("10.0.0.0/24")], Withdraw = ["10.0.0.0/24"] };
        Assert.Contains("which the same batch announces", Assert.Single(RouteValidator.Validate(update)));
    }

    [Fact]
    public void Validate_DuplicateAnnouncement_IsRefused() =>
        Assert.Contains("repeats prefix", Assert.Single(RouteValidator.Validate(TestRoutes.Announce(TestRoutes.V4("10.0.0.0/24"), TestRoutes.V4("10.0.0.0/24", metric: 5)))));

    [Fact]
    public void Validate_SamePrefixFromTwoOrigins_IsAccepted() =>
        Assert.Empty(RouteValidator.Validate(TestRoutes.Announce(TestRoutes.V4("10.0.0.0/24"), TestRoutes.V4("10.0.0.0/24", origin: RouteOrigins.Ospf))));

    [Fact]
    public void Summarize_ManyErrors_CountsAndListsThem()
    {
        var update = new RouteUpdate { Announce = Enumerable.Range(0, 12).Select(i => TestRoutes.V4($"10.0.{i}.1/24")).ToList() };
        var message = RouteValidator.Summarize(RouteValidator.Validate(update));
        Assert.StartsWith("12 problems; nothing was changed", message);
        Assert.Contains("and 2 more", message);
    }
}
