using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Dashboard;

/// <summary>The standalone dashboard (a real process) refuses bad configuration at start: exit code 2, the key and the value named.</summary>
[Trait("Category", TestCategories.MultiProcess)]
public sealed class StandaloneDashboardConfigurationTests
{
    [Theory]
    [InlineData("--Chassis:NoSuchKey=1", "Chassis: unknown key(s) 'NoSuchKey'; known keys: ClusterId, Membership, BasePort")]
    [InlineData("--Dashboard:Urll=http://127.0.0.1:1", "Dashboard: unknown key(s) 'Urll'; known keys: Enabled, Url, AllowRemote")]
    [InlineData("--Chassis:BasePort=abc", "Chassis:BasePort has the value 'abc', which is not a valid Int32")]
    [InlineData("--Chassis:BasePort=80", "Chassis:BasePort must be 1024..55535 (got 80)")]
    [InlineData("--Chassis:Membership=redis", "Chassis:RedisConnectionString is required when Chassis:Membership is 'redis'")]
    [InlineData("--Chassis:ApiUrl=ftp://control", "Chassis:ApiUrl must be an absolute http(s) URL (got 'ftp://control')")]
    [InlineData("--Chassis:TlsCertificatePath=/nonexistent/dashboard.pem", "Chassis:TlsCaPath is required with Chassis:TlsCertificatePath (got none)")]
    [InlineData("--Chassis:TlsCaPath=/nonexistent/ca.pem", "Chassis:TlsCaPath is set but Chassis:TlsCertificatePath is not")]
    [InlineData("--Dashboard:Url=http://0.0.0.0:8081", "Dashboard:Url must be on loopback unless Dashboard:AllowRemote is true (got 'http://0.0.0.0:8081')")]
    [InlineData("--Dashboard:ActionsEnabled=true", "Dashboard:Token is required when Dashboard:ActionsEnabled is true (got none)")]
    public async Task BadConfiguration_ExitsWithCode2NamingTheKeyAndValue(string argument, string expected)
    {
        var (code, output) = await SiloProcess.RunToExitAsync(TimeSpan.FromSeconds(60), [argument], dll: RepoPaths.DashboardDll);
        Assert.True(code == 2, $"exit {code}, expected 2; output:\n{output}");
        Assert.Contains("configuration error: " + expected, output);
    }
}
