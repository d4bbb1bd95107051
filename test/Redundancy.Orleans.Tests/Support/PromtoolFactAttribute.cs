using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Support;

/// <summary>
/// A test that needs promtool (Debian package <c>prometheus</c>): skipped where it is not installed, except in CI
/// (CI=true), where a missing promtool is a failure — .ci/run installs it.
/// </summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        if (PrometheusServer.Promtool is null && Environment.GetEnvironmentVariable("CI") is not ("true" or "1"))
        {
            Skip = "promtool is not installed (apt-get install prometheus); CI installs it and runs this test.";
        }
    }
}
