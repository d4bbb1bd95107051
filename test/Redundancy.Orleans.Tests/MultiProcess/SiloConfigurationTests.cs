using System.Diagnostics;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>The real silo executable refuses bad configuration at start, naming the key and the value.</summary>
public sealed class SiloConfigurationTests
{
    [Theory]
    [InlineData("--Chassis:Slots=0", "Chassis:Slots must be 1..64 (got 0).")]
    [InlineData("--Chassis:Mode=cluster", "Chassis:Mode must be 'embedded' or 'card' (got 'cluster').")]
    [InlineData("--Chassis:Membership=redis", "Chassis:RedisConnectionString is required when Chassis:Membership is 'redis'.")]
    [InlineData("--Chassis:ApiUrl=ftp://x", "Chassis:ApiUrl must be an absolute http(s) URL (got 'ftp://x').")]
    [InlineData("--Chassis:ProbeTimeout=00:00:00.010", "Chassis:ProbeTimeout must be 100 ms..1 min (got 00:00:00.0100000).")]
    [InlineData("--Dashboard:ActionsEnabled=true", "Dashboard:Token is required when Dashboard:ActionsEnabled is true (got none).")]
    [InlineData("--Telemetry:OtlpEndpoint=localhost:4317", "Telemetry:OtlpEndpoint must be an absolute http(s) URL (got 'localhost:4317').")]
    public async Task Start_BadChassisSetting_ExitsWithCode2AndNamesIt(string argument, string expected)
    {
        var (code, output) = await RunSiloAsync(argument);
        Assert.Equal(2, code);
        Assert.Contains("configuration error: " + expected, output);
    }

    [Fact]
    public async Task Start_BadCardIdentity_ExitsWithCode2AndNamesIt()
    {
        var (code, output) = await RunSiloAsync("--Chassis:Mode=card", "--Chassis:CardId=card 1", "--Chassis:Role=line", "--Chassis:Slot=1", "--Chassis:SiloPort=40000");
        Assert.Equal(2, code);
        Assert.Contains("Card id 'card 1' is invalid", output);
    }

    private static async Task<(int Code, string Output)> RunSiloAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(RepoPaths.SiloDll);
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }
}
