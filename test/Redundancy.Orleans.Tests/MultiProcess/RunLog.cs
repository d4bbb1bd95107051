using Xunit.Abstractions;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>A fault run's log: each line stamped with UTC time, written to the test output and kept for the failure message.</summary>
internal sealed class RunLog(ITestOutputHelper output)
{
    private readonly List<string> _lines = [];

    public void Note(string line)
    {
        var stamped = $"[{DateTime.UtcNow:HH:mm:ss.fff}] {line}";
        _lines.Add(stamped);
        output.WriteLine(stamped);
    }

    public override string ToString() => string.Join("\n", _lines);
}
