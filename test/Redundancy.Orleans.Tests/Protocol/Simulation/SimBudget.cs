namespace Redundancy.Orleans.Tests.Protocol.Simulation;

/// <summary>How many schedules to run: <c>SIM_SCHEDULES</c> overrides the default; <c>SIM_REPLAY</c> runs one seed; <c>SIM_SEED</c> moves the first seed.</summary>
internal static class SimBudget
{
    public static int Schedules(int defaultCount) =>
        Environment.GetEnvironmentVariable("SIM_REPLAY") is { Length: > 0 } ? 1
        : int.TryParse(Environment.GetEnvironmentVariable("SIM_SCHEDULES"), out var n) && n > 0 ? n
        : defaultCount;

    /// <summary><c>SIM_TRACE=1</c>: every replica call and every change shown outside go into the history a failure prints.</summary>
    public static bool Trace { get; } = Environment.GetEnvironmentVariable("SIM_TRACE") == "1";

    public static IEnumerable<int> Seeds(int count)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("SIM_REPLAY"), out var replay))
        {
            return [replay];
        }

        var first = int.TryParse(Environment.GetEnvironmentVariable("SIM_SEED"), out var s) ? s : 1;
        return Enumerable.Range(first, count);
    }
}
