using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Routing.Hosting;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Configuration;
using Redundancy.Orleans.Routing.Configuration;

namespace Redundancy.Orleans.Routing.Baselines;

/// <summary>
/// Benchmark baseline: a routing process whose state is Orleans persistent state. Every update writes the
/// whole table (that is how grain storage works); a restart reads it back from storage.
/// </summary>
[GrainType(RoutingSiloBuilderExtensions.PersistentBaselineKind)]
[SlotPlacement]
[KeepAlive]
[Immovable]
internal sealed class PersistentRoutingProcessGrain(
    [PersistentState("rib", RoutingSiloBuilderExtensions.BaselineStorageName)] IPersistentState<RoutingState> rib,
    RedundancyContext context,
    IOptions<RoutingOptions> options) : Grain, IPersistentRoutingProcess, IRedundantProcess
{
    private double _restoreMs;
    private long _activatedAt = Stopwatch.GetTimestamp();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Orleans has already read the state from storage before this runs.
        _restoreMs = Stopwatch.GetElapsedTime(_activatedAt).TotalMilliseconds;
        return Task.CompletedTask;
    }

    public async Task<UpdateResult> Update(RouteUpdate update)
    {
        var errors = RouteValidator.Validate(update, options.Value.MaxBatchSize);
        if (errors.Count > 0)
        {
            throw new RedundancyException(RedundancyErrorKind.InvalidInput, RouteValidator.Summarize(errors));
        }

        var withdrawn = update.Withdraw.Count(rib.State.Rib.ContainsKey);
        rib.State.Apply(new RoutingDelta { Announce = update.Announce, Withdraw = update.Withdraw });
        await rib.WriteStateAsync();
        return new UpdateResult { Seq = 0, Announced = update.Announce.Count, Withdrawn = withdrawn, Mode = "Persistent" };
    }

    public Task<RoutingTableView> GetRoutes() => Task.FromResult(new RoutingTableView
    {
        Process = this.GetPrimaryKeyString(),
        Routes = rib.State.Rib.Routes().Select(r => new RouteEntry { Route = r, Best = true }).ToList(),
    });

    public Task Ping() => Task.CompletedTask;

    public Task<ProcessStatus> GetStatus() => Task.FromResult(new ProcessStatus
    {
        Name = this.GetPrimaryKeyString(),
        CardId = context.CardId,
        State = ProcessState.Ready,
        StateSize = rib.State.Size,
        LastRestoreMs = _restoreMs,
        ReplicationMode = "Persistent",
    });

    public Task<Upgrade.StateFingerprint> GetFingerprint() => Task.FromResult(new Upgrade.StateFingerprint(0, 0, rib.State.Fingerprint()));

    public Task<string?> Handover(Chassis.SlotMap map) => Task.FromResult<string?>(null); // the baseline does not follow slots

    public Task Release(bool rebuild = false) => throw new RedundancyException(RedundancyErrorKind.NotServing, "The persistent-state baseline has no quarantine.");

    public Task Crash(bool poison = false)
    {
        this.DeactivateOnIdle();
        _activatedAt = Stopwatch.GetTimestamp();
        return Task.CompletedTask;
    }
}
