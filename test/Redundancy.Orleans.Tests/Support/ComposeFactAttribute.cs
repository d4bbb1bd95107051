using Redundancy.Orleans.Tests.Deployment;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Support;

/// <summary>
/// A test that needs docker-compose (the Debian package validates a compose file without a Docker engine):
/// skipped where it is not installed, except in CI (CI=true), where a missing docker-compose is a failure.
/// </summary>
public sealed class ComposeFactAttribute : FactAttribute
{
    private static readonly bool InCi = Environment.GetEnvironmentVariable("CI") is "true" or "1";

    public ComposeFactAttribute()
    {
        if (ComposeFile.Executable is null && !InCi)
        {
            Skip = "docker-compose is not installed (apt-get install docker-compose); CI installs it and runs this test.";
        }
    }

    /// <summary>The test also needs redis-server (same rule: skipped where missing, a failure in CI).</summary>
    public bool NeedsRedis
    {
        get => false;
        init
        {
            if (value && RedisServer.Executable is null && !InCi)
            {
                Skip = "redis-server is not installed (apt-get install redis-server); CI installs it and runs this test.";
            }
        }
    }

    /// <summary>The test also needs prometheus (same rule: skipped where missing, a failure in CI).</summary>
    public bool NeedsPrometheus
    {
        get => false;
        init
        {
            if (value && PrometheusServer.Executable is null && !InCi)
            {
                Skip = "prometheus is not installed (apt-get install prometheus); CI installs it and runs this test.";
            }
        }
    }
}
