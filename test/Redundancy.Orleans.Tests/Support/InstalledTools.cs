namespace Redundancy.Orleans.Tests.Support;

/// <summary>
/// The rule for tests that need a Debian package's tool (redis-server, docker-compose, prometheus): skipped where it is
/// not installed, except in CI (CI=true), where a missing tool is a failure — .ci/run installs them all.
/// </summary>
internal static class InstalledTools
{
    private static readonly bool InCi = Environment.GetEnvironmentVariable("CI") is "true" or "1";

    /// <summary>The skip reason when <paramref name="executable"/> is missing outside CI; null when the test runs.</summary>
    public static string? SkipUnless(string? executable, string tool, string package) =>
        executable is null && !InCi ? $"{tool} is not installed (apt-get install {package}); CI installs it and runs this test." : null;
}
