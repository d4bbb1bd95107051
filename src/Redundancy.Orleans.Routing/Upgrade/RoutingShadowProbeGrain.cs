using System.Diagnostics;
using System.Reflection;
using Redundancy.Orleans.Placement;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Replication;
using Redundancy.Orleans.Routing.Hosting;
using Redundancy.Orleans.Routing.State;
using Redundancy.Orleans.Upgrade;

namespace Redundancy.Orleans.Routing.Upgrade;

/// <summary>
/// Upgrade verification on a card (U1): fetches a routing process's replicated state to this card — so this
/// build decodes and converts it exactly as a restore would — and compares it with what the primary serves,
/// without taking the process over or touching its replicas.
/// </summary>
[CardPinnedPlacement]
internal sealed class RoutingShadowProbeGrain(RedundancyContext context, ProcessDirectory processes) : Grain, IShadowRestoreProbe
{
    private static readonly Type[] VersionedInterfaces = [typeof(IRoutingProcess)];

    public Task<BuildInfo> GetBuild() => Task.FromResult(new BuildInfo
    {
        CardId = context.CardId ?? "?",
        Version = RoutingBuild.Version,
        SchemaMin = RoutingBuild.SchemaMin,
        SchemaMax = RoutingBuild.SchemaMax,
        InterfaceVersions = VersionedInterfaces.ToDictionary(
            t => t.Name,
            t => (int)(t.GetCustomAttribute<global::Orleans.CodeGeneration.VersionAttribute>()?.Version ?? 0)),
    });

    public async Task<ShadowRestoreReport> Restore(string process)
    {
        var definition = context.Table.Get(process);
        var report = new ShadowRestoreReport { Process = process, CardId = context.CardId ?? "?" };
        var started = Stopwatch.GetTimestamp();
        var (freshest, errors) = await ShadowRead.FreshestAsync<RoutingState, RoutingDelta>(GrainFactory, context, definition);
        var decodeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (freshest is null)
        {
            return report with { DecodeMs = decodeMs, Error = errors.Count > 0 ? string.Join("; ", errors) : "no replica holds a snapshot" };
        }

        var state = freshest.State;
        var primary = definition.Kind == RoutingSiloBuilderExtensions.Kind
            ? await processes.Reference(process).AsReference<IRoutingProcess>().GetRoutes()
            : throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"Process '{process}' is not a routing process.");
        bool? matches = primary.Seq == freshest.Seq && primary.Epoch >= freshest.Ballot
            ? Lines(primary.Routes.Select(r => r.Route)).SetEquals(Lines(state.Rib.Values.SelectMany(p => p.Values)))
            : null;
        return report with
        {
            Ok = matches != false,
            Seq = freshest.Seq,
            Routes = state.Size,
            Schema = state.LoadedSchema,
            DecodeMs = decodeMs,
            MatchesPrimary = matches,
            Error = matches == false ? $"restored state differs from the primary at seq {freshest.Seq}" : null,
        };
    }

    private static HashSet<string> Lines(IEnumerable<Route> routes) =>
        routes.Select(r => $"{r.Prefix} {r.NextHop} {r.Metric} {r.Origin}").ToHashSet(StringComparer.Ordinal);
}
