using System.Globalization;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Routing;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>
/// Continuous acknowledged updates to one process. Every prefix is announced once (unique), some are
/// withdrawn later; each operation is either acknowledged (its effect must be there) or failed (its effect
/// is uncertain: it may or may not have been applied). The model answers what the final table may hold.
/// </summary>
internal sealed class ChaosWriter(ChassisClient api, string process, int processIndex, Random random)
{
    private readonly HashSet<string> _present = new(StringComparer.Ordinal);
    private readonly HashSet<string> _absent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _uncertain = new(StringComparer.Ordinal);
    private int _next;

    public string Process => process;

    public int Acknowledged { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Writes until cancelled, at most one update per <paramref name="pace"/> (a steady control-plane load, not a flood).</summary>
    public async Task RunAsync(TimeSpan pace, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(pace);
        while (!ct.IsCancellationRequested)
        {
            var withdraw = _present.Count > 20 && random.Next(4) == 0;
            var prefixes = withdraw
                ? _present.Take(1 + random.Next(3)).ToList()
                : Enumerable.Range(0, 1 + random.Next(5)).Select(_ => NextPrefix()).ToList();
            var update = withdraw
                ? new RouteUpdate { Withdraw = prefixes }
                : new RouteUpdate { Announce = prefixes.Select(p => new Route { Prefix = p, NextHop = "192.0.2.1", Metric = 1 }).ToList() };
            try
            {
                await api.UpdateAsync(process, update, ct);
                Acknowledged++;
                foreach (var p in prefixes)
                {
                    (withdraw ? _present : _absent).Remove(p);
                    (withdraw ? _absent : _present).Add(p);
                }
            }
            catch (Exception e) when (e is ChassisApiException or HttpRequestException or TaskCanceledException)
            {
                Failed++;
                foreach (var p in prefixes)
                {
                    _present.Remove(p);
                    _uncertain.Add(p);
                }
            }

            try
            {
                await timer.WaitForNextTickAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>What is wrong with the final table: acknowledged routes lost, or routes nobody announced.</summary>
    public IReadOnlyList<string> Check(IEnumerable<string> finalPrefixes)
    {
        var actual = finalPrefixes.ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        problems.AddRange(_present.Where(p => !actual.Contains(p)).Select(p => $"{process}: acknowledged {p} lost"));
        problems.AddRange(_absent.Where(actual.Contains).Select(p => $"{process}: acknowledged withdrawal of {p} lost"));
        problems.AddRange(actual.Where(p => !_present.Contains(p) && !_uncertain.Contains(p) && !_absent.Contains(p)).Select(p => $"{process}: {p} invented"));
        return problems;
    }

    private string NextPrefix()
    {
        var n = _next++;
        return string.Create(CultureInfo.InvariantCulture, $"100.{64 + processIndex}.{n / 256 % 256}.{n % 256}/32");
    }
}
