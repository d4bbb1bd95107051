using System.Globalization;

namespace Redundancy.Orleans.Testing;

/// <summary>Reads samples out of a Prometheus text exposition (enough for asserting on our instruments).</summary>
public static class PrometheusText
{
    /// <summary>
    /// The sum of every sample of <paramref name="metric"/> (exact name, for example
    /// <c>redundancy_failovers_total</c>) whose labels contain each of <paramref name="labels"/> (<c>phase="detect"</c>).
    /// Null when the metric has no such sample.
    /// </summary>
    public static double? Sum(string exposition, string metric, params string[] labels)
    {
        double? sum = null;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(metric, StringComparison.Ordinal) || line.Length <= metric.Length || line[metric.Length] is not ('{' or ' '))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            var head = line[..space];
            if (labels.All(l => head.Contains(l, StringComparison.Ordinal))
                && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                sum = (sum ?? 0) + value;
            }
        }

        return sum;
    }
}
