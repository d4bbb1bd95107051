using Redundancy.Orleans.Cards;
using Redundancy.Orleans.ManagementApi;

namespace Redundancy.Orleans.Silo.Embedded;

/// <summary>
/// The embedded chassis's start-up as the management API shows it (<c>startup</c> in <c>GET /api/chassis</c>), so that a
/// client can tell a chassis still loading its workload from one that is done. Cluster mode has no start-up workload.
/// </summary>
internal sealed class ChassisStartup(bool embedded, TimeProvider time) : IChassisStartup
{
    private readonly Lock _lock = new();
    private StartupStatus _status = new() { State = StartupState.Starting };

    /// <summary>The current start-up, or null in cluster mode.</summary>
    public StartupStatus? Current
    {
        get
        {
            lock (_lock)
            {
                return embedded ? _status : null;
            }
        }
    }

    public void Loading(int processes) => Update(s => s with { State = StartupState.Loading, Processes = processes });

    public void Loaded(long routes) => Update(s => s with { EntriesLoaded = s.EntriesLoaded + routes });

    public void ProcessLoaded() => Update(s => s with { ProcessesLoaded = s.ProcessesLoaded + 1 });

    public void Retried() => Update(s => s with { Retries = s.Retries + 1 });

    /// <summary>Something start-up could not do; the chassis goes on.</summary>
    public void Problem(string problem) => Update(s => s with { Problems = [.. s.Problems, problem] });

    /// <summary>Start-up is over: complete when nothing went wrong.</summary>
    public StartupStatus Finish() => Update(s => s with
    {
        State = s.Problems.Count == 0 ? StartupState.Complete : StartupState.Incomplete,
        CompletedAt = time.GetUtcNow(),
    });

    private StartupStatus Update(Func<StartupStatus, StartupStatus> change)
    {
        lock (_lock)
        {
            return _status = change(_status);
        }
    }
}
