using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.MultiProcess;

/// <summary>Checks over a running chassis through its management API.</summary>
internal static class ChassisChecks
{
    public static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Every path of every process, as text lines.</summary>
    public static async Task<Dictionary<string, IReadOnlyList<string>>> RoutesAsync(ChassisClient api, IEnumerable<string> processes)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var name in processes)
        {
            result[name] = TestRoutes.Lines((await api.GetRoutesAsync(name)).Routes.Select(r => r.Route));
        }

        return result;
    }

    /// <summary>Announces <paramref name="count"/> distinct routes to every process (acknowledged).</summary>
    public static async Task LoadAsync(ChassisClient api, ChassisStatus status, int count, int firstRoute = 0)
    {
        for (var i = 0; i < status.Processes.Count; i++)
        {
            var routes = WorkloadGenerator.Routes(i, count, firstRoute);
            foreach (var batch in routes.Chunk(1000))
            {
                await api.UpdateAsync(status.Processes[i].Name, new RouteUpdate { Announce = batch });
            }
        }
    }

    /// <summary>Waits until every process is ready, on a live card, with an epoch above the one it had in <paramref name="before"/> when it was on one of <paramref name="movedFrom"/>.</summary>
    public static Task<ChassisStatus> WaitAllReadyAfterAsync(ChassisClient api, ChassisStatus before, IReadOnlyCollection<string> movedFrom, string phase) =>
        api.WaitForAsync(
            s => s.Processes.All(p =>
            {
                var old = before.Processes.Single(o => o.Name == p.Name);
                var card = s.Cards.SingleOrDefault(c => c.CardId == p.CardId);
                return p.State == ProcessState.Ready && card is { Alive: true } && (!movedFrom.Contains(old.CardId!) || (p.Epoch > old.Epoch && !movedFrom.Contains(p.CardId!)));
            }),
            FailoverTimeout,
            phase);

    /// <summary>M3 and re-protection: every process protected, each replica on a live serving card other than its primary's.</summary>
    public static Task<ChassisStatus> WaitProtectedAsync(ChassisClient api, int replicas, string phase) =>
        api.WaitForAsync(s => s.Processes.All(p => IsProtected(s, p, replicas)), FailoverTimeout, phase);

    public static bool IsProtected(ChassisStatus s, ProcessStatus p, int replicas)
    {
        var serving = s.Cards.Where(c => c.Alive && c.Role == CardRoles.Line).Select(c => c.CardId).ToHashSet();
        return p.Protected && p.Replicas.Count == replicas
            && p.Replicas.All(r => r.InSync && r.CardId is not null && r.CardId != p.CardId && serving.Contains(r.CardId))
            && p.Replicas.Select(r => r.CardId).Distinct().Count() == Math.Min(replicas, serving.Count - 1);
    }

    /// <summary>After a failover: exact routes, and the new card's forwarding table equals the RIB's best paths.</summary>
    public static async Task AssertExactAsync(ChassisClient api, IReadOnlyDictionary<string, IReadOnlyList<string>> expected)
    {
        foreach (var (name, lines) in expected)
        {
            var view = await api.GetRoutesAsync(name);
            var actual = TestRoutes.Lines(view.Routes.Select(r => r.Route));
            Assert.True(lines.SequenceEqual(actual), $"{name}: expected {lines.Count} routes, got {actual.Count}; missing [{string.Join(", ", lines.Except(actual).Take(5))}], invented [{string.Join(", ", actual.Except(lines).Take(5))}]");
            var fib = await api.GetForwardingAsync(name);
            Assert.Equal(TestRoutes.Lines(view.Routes.Where(r => r.Best).Select(r => r.Route)), TestRoutes.Lines(fib.Entries));
        }
    }
}
