using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.FailureDetection;

/// <summary>
/// Declares a silo dead as soon as its process is provably gone, instead of after missed probes (issue 12). The
/// trigger is the end of a connection between this silo and it, opened by either side (a killed process's sockets are
/// closed by its kernel); the
/// evidence is that its endpoint refuses a new connection, here and at a second card. A slow or silent silo — busy
/// restoring, paused, or behind a lost route — never refuses: it is left to Orleans' probes, whose tolerance can
/// then be generous without making the detection of a killed card slow.
/// </summary>
internal sealed class ClosedPortDetector(
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    ILivenessWitnesses witnesses,
    IOptions<ClosedPortDetectionOptions> options,
    RedundancyMetrics metrics,
    ILogger<ClosedPortDetector> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ConcurrentDictionary<SiloAddress, byte> _checking = new();
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _active;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClosedPortDetector), ServiceLifecycleStage.Active, OnStart, OnStop);

    private Task OnStart(CancellationToken ct)
    {
        _active = true;
        return Task.CompletedTask;
    }

    private async Task OnStop(CancellationToken ct)
    {
        // A silo that is stopping closes its own connections: none of that is evidence about the others.
        _active = false;
        await _stopping.CancelAsync();
    }

    /// <summary>Called by the outbound connection middleware when a connection to <paramref name="remote"/> ended.</summary>
    public void ConnectionEnded(EndPoint? remote)
    {
        if (_active && remote is IPEndPoint endpoint && ActiveAt(Normalize(endpoint)) is { } target)
        {
            _ = GuardedCheckAsync(target);
        }
    }

    /// <summary>
    /// Called by the inbound connection middleware when a connection from another silo ended. Orleans sends over a
    /// connection the other silo opened too (it registers it once the preamble names the silo), so a card may never have
    /// opened one of its own to a silo that dies: the inbound connection is then its only trigger. Which silo it came
    /// from is not known here (its remote port is ephemeral), so every active silo's port is checked; one that listens
    /// is left alone at once.
    /// </summary>
    public void InboundConnectionEnded()
    {
        if (_active)
        {
            _ = CheckEveryActiveAsync();
        }
    }

    /// <summary>Checks every active silo but this one (internal for tests).</summary>
    internal Task CheckEveryActiveAsync() =>
        Task.WhenAll(membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(local.SiloAddress))
            .Select(GuardedCheckAsync));

    /// <summary>One check at a time per silo, off the connection's thread; a failure is logged, never thrown.</summary>
    private Task GuardedCheckAsync(ClusterMember target)
    {
        if (!_checking.TryAdd(target.SiloAddress, 0))
        {
            return Task.CompletedTask;
        }

        return Task.Run(async () =>
        {
            try
            {
                await CheckAsync(target);
            }
            catch (Exception e) when (e is not OutOfMemoryException && !_stopping.IsCancellationRequested)
            {
                FailureDetectionLog.CheckFailed(logger, target.SiloAddress, e.Message);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                _checking.TryRemove(target.SiloAddress, out _);
            }
        });
    }

    /// <summary>Checks one silo whose connection ended and declares it dead when the evidence holds (internal for tests).</summary>
    internal async Task CheckAsync(ClusterMember target)
    {
        var o = options.Value;
        for (var attempt = 1; attempt <= o.Attempts; attempt++)
        {
            var state = await PortCheck.CheckAsync(target.SiloAddress.Endpoint, o.PortCheckTimeout, _stopping.Token);
            FailureDetectionLog.ConnectionEnded(logger, target.SiloAddress, state);
            if (state == PortState.Open || !IsActive(target.SiloAddress))
            {
                // It listens (the connection ended for another reason), or membership has already decided.
                return;
            }

            if (state == PortState.Closed)
            {
                // One card's view is not enough: a local firewall or a half-broken network stack could refuse too.
                var others = membership.CurrentSnapshot.Members.Values
                    .Where(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(local.SiloAddress) && !m.SiloAddress.Equals(target.SiloAddress))
                    .Select(m => m.SiloAddress)
                    .OrderBy(_ => Random.Shared.Next())
                    .Take(o.Witnesses)
                    .ToList();
                if (others.Count > 0 && await witnesses.ConfirmAsync(target.SiloAddress, others, o.WitnessTimeout) is { } witness)
                {
                    // A silo that shuts down gracefully writes that to the table before it closes its port: read the
                    // table, so that a stopping card is never declared dead (it would stop ungracefully).
                    await membership.Refresh(cancellationToken: _stopping.Token);
                    if (IsActive(target.SiloAddress))
                    {
                        FailureDetectionLog.DeclaringDead(logger, target.SiloAddress, target.Name, witness);
                        metrics.ClosedPortDeath();
                        await membership.TryKill(target.SiloAddress);
                    }

                    return;
                }

                FailureDetectionLog.NotConfirmed(logger, target.SiloAddress, target.Name, attempt, o.Attempts);
            }

            await Task.Delay(o.PortCheckTimeout, _stopping.Token);
        }
    }

    private ClusterMember? ActiveAt(IPEndPoint endpoint) =>
        membership.CurrentSnapshot.Members.Values.FirstOrDefault(m =>
            m.Status == SiloStatus.Active && m.SiloAddress.Endpoint.Equals(endpoint) && !m.SiloAddress.Equals(local.SiloAddress));

    private bool IsActive(SiloAddress silo) =>
        membership.CurrentSnapshot.Members.TryGetValue(silo, out var m) && m.Status == SiloStatus.Active;

    private static IPEndPoint Normalize(IPEndPoint endpoint) =>
        endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;
}
