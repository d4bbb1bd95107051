using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime.Services;
using Orleans.Services;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.FailureDetection;

/// <summary>
/// The second card's opinion on closed-port evidence. A grain service (a system target on every silo, addressed by
/// silo): asking it needs no placement and no grain directory, which may itself be waiting for the dead silo to be
/// declared dead.
/// </summary>
internal interface ILivenessWitness : IGrainService
{
    /// <summary>True when this silo, too, finds nothing listening at <paramref name="silo"/>'s endpoint.</summary>
    Task<bool> SeesPortClosed(SiloAddress silo);
}

[Reentrant]
internal sealed class LivenessWitness(GrainId id, Silo silo, ILoggerFactory loggerFactory, IOptions<ClosedPortDetectionOptions> options)
    : GrainService(id, silo, loggerFactory), ILivenessWitness
{
    public async Task<bool> SeesPortClosed(SiloAddress silo) =>
        await PortCheck.CheckAsync(silo.Endpoint, options.Value.PortCheckTimeout, CancellationToken.None) == PortState.Closed;
}

/// <summary>Second opinions on closed-port evidence (the grain services of other silos; a fake in unit tests).</summary>
internal interface ILivenessWitnesses
{
    /// <summary>
    /// Asks <paramref name="witnesses"/> at once; the first that also sees <paramref name="target"/>'s port closed, or
    /// null when none does within <paramref name="timeout"/>.
    /// </summary>
    Task<SiloAddress?> ConfirmAsync(SiloAddress target, IReadOnlyList<SiloAddress> witnesses, TimeSpan timeout);
}

/// <summary>Asks other silos' <see cref="ILivenessWitness"/>.</summary>
internal sealed class LivenessWitnessClient(IServiceProvider services) : GrainServiceClient<ILivenessWitness>(services), ILivenessWitnesses
{
    /// <inheritdoc />
    public async Task<SiloAddress?> ConfirmAsync(SiloAddress target, IReadOnlyList<SiloAddress> witnesses, TimeSpan timeout)
    {
        var pending = witnesses.Select(async w => await GetGrainService(w).SeesPortClosed(target).WaitAsync(timeout) ? w : null).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (done.IsCompletedSuccessfully && done.Result is { } confirmed)
            {
                return confirmed;
            }
        }

        return null;
    }
}
