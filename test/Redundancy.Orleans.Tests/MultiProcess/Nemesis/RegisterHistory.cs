using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Tests.Protocol.Simulation;

namespace Redundancy.Orleans.Tests.MultiProcess.Nemesis;

/// <summary>One write to a register: a prefix announced with a unique metric (its value), or withdrawn (value 0).</summary>
internal sealed record RegisterWrite(string Process, string Prefix, int Value, int Index, TimeSpan Issued)
{
    public WriteOutcome Outcome { get; set; }

    public TimeSpan Done { get; set; } = TimeSpan.MaxValue;

    public string? Detail { get; set; }

    public bool Succeeded => Outcome is WriteOutcome.Protected or WriteOutcome.Unprotected or WriteOutcome.UnprotectedUntilFlushed;
}

/// <summary>
/// The nemesis checker's history of register writes and reads (values per prefix, not a set): every value names its write,
/// so the checker can tell a lost acknowledged write, a refused write that became visible and a value nobody wrote.
/// </summary>
internal sealed class RegisterHistory
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<RegisterWrite> _writes = new();
    private readonly ConcurrentQueue<(string Process, TimeSpan Started, Dictionary<string, int> Values)> _reads = new();
    private int _nextValue = 1;

    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyCollection<RegisterWrite> Writes => _writes;

    /// <summary>Times at which a fault hit each process's primary (its crash, its card's kill, hang or crash point).</summary>
    public ConcurrentDictionary<string, ConcurrentBag<TimeSpan>> PrimaryFaults { get; } = new(StringComparer.Ordinal);

    public void PrimaryFault(string process) => PrimaryFaults.GetOrAdd(process, _ => []).Add(Now);

    /// <summary>Writes one register: announce a new value (or withdraw), classifies the answer.</summary>
    public async Task WriteAsync(ChassisClient api, string process, string prefix, bool withdraw, int index, CancellationToken ct)
    {
        var value = withdraw ? 0 : Interlocked.Increment(ref _nextValue);
        var write = new RegisterWrite(process, prefix, value, index, Now);
        _writes.Enqueue(write);
        var update = withdraw
            ? new RouteUpdate { Withdraw = [prefix] }
            : new RouteUpdate { Announce = [new Route { Prefix = prefix, NextHop = "192.0.2.1", Metric = value }] };
        try
        {
            var result = await api.UpdateAsync(process, update, ct);
            write.Outcome = result.Protection switch
            {
                Protection.Protected => WriteOutcome.Protected,
                Protection.Unprotected => WriteOutcome.Unprotected,
                _ => WriteOutcome.UnprotectedUntilFlushed,
            };
            write.Detail = $"seq {result.Seq} epoch {result.Epoch}, {result.Replicas} replica(s)";
        }
        catch (ChassisApiException e) when (e.NotProtected || e.Status == HttpStatusCode.Conflict || e.Title == "Process restarting")
        {
            write.Outcome = WriteOutcome.Refused;
            write.Detail = e.Message;
        }
        catch (Exception e) when (e is ChassisApiException or HttpRequestException or TaskCanceledException)
        {
            write.Outcome = WriteOutcome.Unknown;
            write.Detail = e.Message;
        }

        write.Done = Now;
    }

    /// <summary>Reads every register of a process (prefix → metric) and records it.</summary>
    public async Task ReadAsync(ChassisClient api, string process, string registerPrefix, CancellationToken ct)
    {
        var started = Now;
        try
        {
            var view = await api.GetRoutesAsync(process, ct);
            _reads.Enqueue((process, started, view.Routes.Where(r => r.Route.Prefix.StartsWith(registerPrefix, StringComparison.Ordinal))
                .ToDictionary(r => r.Route.Prefix, r => r.Route.Metric, StringComparer.Ordinal)));
        }
        catch (Exception e) when (e is ChassisApiException or HttpRequestException or TaskCanceledException)
        {
            // no answer: nothing to check
        }
    }

    /// <summary>
    /// The violations: a value read that nobody wrote or that was refused (every read), and — for reads after the faults
    /// stopped (<paramref name="finalFrom"/>) — a register behind its last protected write, or behind an acknowledged
    /// unprotected write whose primary never failed. <paramref name="periodicLosses"/> collects unprotected losses inside
    /// a flush window (allowed in periodic mode, reported).
    /// </summary>
    public List<string> Check(TimeSpan finalFrom, TimeSpan flushWindow, List<string> periodicLosses)
    {
        var problems = new List<string>();
        var byValue = _writes.Where(w => w.Value != 0).ToDictionary(w => (w.Process, w.Value));
        foreach (var (process, started, values) in _reads)
        {
            foreach (var (prefix, value) in values)
            {
                if (!byValue.TryGetValue((process, value), out var w) || w.Prefix != prefix)
                {
                    problems.Add($"{process} {prefix}: read metric {value} at {Ms(started)}, which no write of this prefix announced");
                }
                else if (w.Outcome == WriteOutcome.Refused)
                {
                    problems.Add($"{process} {prefix}: read the refused write {value} at {Ms(started)} ({w.Detail})");
                }
            }

            if (started < finalFrom)
            {
                continue;
            }

            foreach (var register in _writes.Where(w => w.Process == process).GroupBy(w => w.Prefix))
            {
                var writes = register.OrderBy(w => w.Index).ToList();
                var current = values.TryGetValue(register.Key, out var v) ? writes.FirstOrDefault(w => w.Value == v) : null;
                var currentIndex = current?.Index ?? writes.Where(w => w.Value == 0 && w.Outcome != WriteOutcome.Refused).Select(w => w.Index).DefaultIfEmpty(-1).Max();
                var floor = writes.LastOrDefault(w => w.Outcome == WriteOutcome.Protected);
                if (floor is not null && currentIndex < floor.Index)
                {
                    problems.Add($"{process} {register.Key}: final read {(current is null ? "absent" : current.Value.ToString(CultureInfo.InvariantCulture))} lost write {Describe(floor)} acknowledged as protected at {Ms(floor.Done)}");
                    continue;
                }

                var acked = writes.LastOrDefault(w => w.Succeeded);
                if (acked is not null && currentIndex < acked.Index)
                {
                    var faults = PrimaryFaults.GetValueOrDefault(process)?.Where(f => f >= acked.Done).ToList() ?? [];
                    if (faults.Count == 0)
                    {
                        problems.Add($"{process} {register.Key}: lost write {Describe(acked)} acknowledged ({acked.Outcome}) at {Ms(acked.Done)} with no fault of its primary since");
                    }
                    else if (acked.Outcome == WriteOutcome.UnprotectedUntilFlushed && faults.Any(f => f - acked.Done <= flushWindow))
                    {
                        periodicLosses.Add($"{process} {register.Key}: write {Describe(acked)} acknowledged at {Ms(acked.Done)}, lost with its primary's fault at {Ms(faults.Min())} (within the flush window)");
                    }
                    else if (acked.Outcome != WriteOutcome.Unprotected)
                    {
                        problems.Add($"{process} {register.Key}: lost write {Describe(acked)} acknowledged ({acked.Outcome}) at {Ms(acked.Done)}; its primary's next fault came at {Ms(faults.Min())}, beyond the flush window");
                    }
                }
            }
        }

        return problems;
    }

    private static string Describe(RegisterWrite w) => w.Value == 0 ? "withdrawal" : w.Value.ToString(CultureInfo.InvariantCulture);

    private static string Ms(TimeSpan t) => $"{t.TotalSeconds:0.000}s";
}
