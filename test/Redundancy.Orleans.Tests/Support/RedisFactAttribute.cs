using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Support;

/// <summary>A test that needs redis-server (see <see cref="InstalledTools"/>).</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute() => Skip = InstalledTools.SkipUnless(RedisServer.Executable, "redis-server", "redis-server");
}
