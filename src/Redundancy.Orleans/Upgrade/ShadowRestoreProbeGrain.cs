using System.Diagnostics;
using System.Reflection;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Upgrade;

/// <summary>
/// Upgrade verification on a card (U1), for any kind of redundant process: fetches the process's replicated state to this
/// card — the copy a restore would take (<see cref="ShadowRead"/>), so this build decodes and converts it exactly as a
/// restore would — and, when the state is an <see cref="IVerifiableHotState"/>, compares its fingerprint with the
/// primary's at the same seq; without taking the process over or touching its replicas.
/// </summary>
[CardPinnedPlacement]
internal sealed class ShadowRestoreProbeGrain(RedundancyContext context, ProcessDirectory processes, CardIdentity card) : Grain, IShadowRestoreProbe
{
    private static readonly MethodInfo RestoreTyped = typeof(ShadowRestoreProbeGrain).GetMethod(nameof(RestoreAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    public Task<BuildInfo> GetBuild() => Task.FromResult(new BuildInfo
    {
        CardId = context.CardId ?? "?",
        Version = card.Version,
        SchemaMin = card.StateSchema?.Min ?? 0,
        SchemaMax = card.StateSchema?.Max ?? 0,
        InterfaceVersions = processes.VersionedInterfaces(),
    });

    public Task<ShadowRestoreReport> Restore(string process)
    {
        var definition = context.Table.Get(process);
        var types = processes.StateTypes(definition.Kind)
            ?? throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"Process '{process}' (kind '{definition.Kind}') keeps no replicated state: there is nothing to restore in shadow.");
        return (Task<ShadowRestoreReport>)RestoreTyped.MakeGenericMethod(types.State, types.Delta).Invoke(this, [definition])!;
    }

    private async Task<ShadowRestoreReport> RestoreAsync<TState, TDelta>(ProcessDefinition definition)
        where TState : IHotState<TDelta>, new()
    {
        var report = new ShadowRestoreReport { Process = definition.Name, CardId = context.CardId ?? "?" };
        var started = Stopwatch.GetTimestamp();
        var (freshest, errors) = await ShadowRead.FreshestAsync<TState, TDelta>(GrainFactory, context, definition);
        var decodeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (freshest is null)
        {
            return report with { DecodeMs = decodeMs, Error = errors.Count > 0 ? string.Join("; ", errors) : "no replica holds a snapshot" };
        }

        var verifiable = freshest.State as IVerifiableHotState;
        bool? matches = null;
        if (verifiable is not null)
        {
            // Compared only at the same seq under a ballot at least the copy's: otherwise the primary moved on meanwhile.
            var primary = await processes.Get(definition.Name).GetFingerprint();
            if (primary.Fingerprint is not null && primary.Seq == freshest.Seq && primary.Ballot >= freshest.Ballot)
            {
                matches = primary.Fingerprint == verifiable.Fingerprint();
            }
        }

        return report with
        {
            Ok = matches != false,
            Seq = freshest.Seq,
            Entries = freshest.State.Size,
            Schema = verifiable?.LoadedSchema ?? 0,
            DecodeMs = decodeMs,
            MatchesPrimary = matches,
            Error = matches == false ? $"restored state differs from the primary at seq {freshest.Seq}" : null,
        };
    }
}
