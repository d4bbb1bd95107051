using Redundancy.Orleans.Testing;
using Xunit.Abstractions;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>
/// Writes the tail of every card's log to the test's output when the scope ends, so that a failing
/// multi-process test shows what the cards did (the runner prints the output of failed tests only).
/// </summary>
internal sealed class ChassisLogs(ITestOutputHelper output, EmbeddedChassisProcess chassis) : IDisposable
{
    public void Dispose() => output.WriteLine(chassis.LogTail());
}
