using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Support;

/// <summary>A test that needs promtool, from the Debian package <c>prometheus</c> (see <see cref="InstalledTools"/>).</summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute() => Skip = InstalledTools.SkipUnless(PrometheusServer.Promtool, "promtool", "prometheus");
}
