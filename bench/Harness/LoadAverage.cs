using System.Globalization;

namespace Redundancy.Orleans.Bench.Harness;

/// <summary>The machine's load average: the benchmark shares its cores, and a busy machine disturbs the figures.</summary>
internal static class LoadAverage
{
    public static string Describe()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Create(CultureInfo.InvariantCulture, $"load average {parts[0]} {parts[1]} {parts[2]} on {Environment.ProcessorCount} cores");
        }
        catch (IOException)
        {
            return "load average unknown";
        }
    }
}
