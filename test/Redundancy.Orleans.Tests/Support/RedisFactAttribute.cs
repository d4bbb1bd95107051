using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Support;

/// <summary>
/// A test that needs redis-server: skipped where it is not installed, except in CI (CI=true), where a
/// missing redis-server is a failure — .ci/run installs it, so these tests always run there.
/// </summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.Executable is null && Environment.GetEnvironmentVariable("CI") is not ("true" or "1"))
        {
            Skip = "redis-server is not installed (apt-get install redis-server); CI installs it and runs this test.";
        }
    }
}
