using Orleans.Timers;
using Redundancy.Orleans.Audit;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Replication.Ledger;

namespace Redundancy.Orleans.Processes;

/// <summary>Keep-alive, fault injection (M6) and the operator's release of a process: its management extension.</summary>
internal sealed partial class ReplicatedState<TState, TDelta>
{
    public Task Ping()
    {
        ThrowIfCrashed();
        return Task.CompletedTask;
    }

    public Task<Upgrade.StateFingerprint> GetFingerprint()
    {
        ThrowIfCrashed();
        return Task.FromResult(new Upgrade.StateFingerprint(Epoch, Seq, (State as IVerifiableHotState)?.Fingerprint()));
    }

    /// <summary>
    /// A crashed activation can still receive a call that was sent before Orleans took it out of service;
    /// it must not answer as if it were the process.
    /// </summary>
    private void ThrowIfCrashed()
    {
        if (_crashed)
        {
            throw new RedundancyException(RedundancyErrorKind.Restarting, $"Process '{Name}' is restarting after a crash; retry.");
        }
    }

    public async Task Crash(bool poison = false)
    {
        ThrowIfCrashed();
        if (poison && _session is not null)
        {
            await _session.FlushAsync();
            await _session.PoisonAllAsync();
        }

        Log.CrashInjected(_logger, Name, poison);
        _context.Restarts.RecordRestart(Name, poison ? "crash injected with poisoned state" : "crash injected");
        _crashed = true;
        _context.Metrics.ForgetProcess(Name);
        _state = ProcessState.Inactive;
        State = new TState(); // the memory of a crashed process is gone
        _session = null;
        Deactivate("crash injected");
        _context.CardManager.RequestRestart(Name);
    }

    public async Task Release(bool rebuild = false)
    {
        ThrowIfCrashed();
        if (_state is not (ProcessState.Quarantined or ProcessState.Unavailable))
        {
            throw new RedundancyException(RedundancyErrorKind.NotServing,
                $"Process '{Name}' is {_state.ToString().ToLowerInvariant()}, not quarantined or unavailable; nothing to release.");
        }

        if (rebuild)
        {
            // The next activation starts empty under a new ballot and rebuilds from the forwarding table and the peers.
            await _grains.GetGrain<IProcessLedger>(Name).RequestRebuild($"released with rebuild by an operator while {_state.ToString().ToLowerInvariant()}: {_reason}");
        }

        _context.Restarts.Release(Name);
        _crashed = true; // this activation holds no state: let the card manager bring up a fresh one that restores
        Deactivate("released by an operator");
        _context.CardManager.RequestRestart(Name);
    }
}
