using Redundancy.Orleans.Tests.Deployment;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Support;

/// <summary>
/// A test that needs docker-compose (the Debian package validates a compose file without a Docker engine), and
/// optionally redis-server and prometheus (see <see cref="InstalledTools"/>).
/// </summary>
public sealed class ComposeFactAttribute : FactAttribute
{
    public ComposeFactAttribute() => Skip = InstalledTools.SkipUnless(ComposeFile.Executable, "docker-compose", "docker-compose");

    /// <summary>The test also needs redis-server.</summary>
    public bool NeedsRedis
    {
        get => false;
        init => Skip ??= value ? InstalledTools.SkipUnless(RedisServer.Executable, "redis-server", "redis-server") : null;
    }

    /// <summary>The test also needs prometheus.</summary>
    public bool NeedsPrometheus
    {
        get => false;
        init => Skip ??= value ? InstalledTools.SkipUnless(PrometheusServer.Executable, "prometheus", "prometheus") : null;
    }
}
