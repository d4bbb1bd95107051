using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Management;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Upgrade;
using static Redundancy.Orleans.ManagementApi.ManagementResults;
using static Redundancy.Orleans.ManagementApi.Statuses;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>
/// The upgrade surface (U1): switchover, the builds the host can start, a card's build and shadow-restore probes, and the
/// campaign record the client SDK's orchestrator persists.
/// </summary>
internal static class UpgradeEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/builds", (HttpContext context) => Results.Json(new BuildVersions
            {
                Versions = context.RequestServices.GetService<ICardController>()?.Versions ?? [context.RequestServices.GetRequiredService<CardIdentity>().Version],
            }))
            .Describe<BuildVersions>("Upgrade", "GetBuilds", "The software versions the chassis can start cards at");
        api.MapPost("/slots/{slot}/switchover", (string slot, string? to, IGrainFactory grains) => Guard(() =>
            {
                var number = ParseSlot(slot);
                return string.IsNullOrWhiteSpace(to)
                    ? throw new RedundancyException(RedundancyErrorKind.InvalidInput, "Say which spare takes the slot over: ?to=<card>.")
                    : grains.GetGrain<IChassisManager>(IChassisManager.Key).Switchover(number, to);
            }))
            .Describe<ChassisEvent>("Upgrade", "Switchover", "Planned switchover of a slot to a live spare; the vacated card becomes a spare", BadRequest, NotFound, Conflict);
        api.MapGet("/cards/{id}/build", (string id, IGrainFactory grains, CardLookup cards) =>
                Guard(() => grains.GetGrain<IShadowRestoreProbe>(cards.RequireAlive(id).CardId).GetBuild(), $"Card '{id}'"))
            .Describe<BuildInfo>("Upgrade", "GetCardBuild", "A card's build: version, state schemas it reads, grain interface versions", BadRequest, NotFound, Conflict);
        api.MapPost("/cards/{id}/shadow-restore", (string id, string? process, IGrainFactory grains, ProcessDirectory processes, CardLookup cards) =>
                Guard(async () =>
                {
                    var probe = grains.GetGrain<IShadowRestoreProbe>(cards.RequireAlive(id).CardId);
                    var names = string.IsNullOrEmpty(process) ? processes.Table.All.Select(p => p.Name).ToList() : [processes.Table.Get(process).Name];
                    var reports = new List<ShadowRestoreReport>();
                    foreach (var name in names)
                    {
                        reports.Add(await probe.Restore(name));
                    }

                    return reports;
                }, $"Card '{id}'"))
            .Describe<IReadOnlyList<ShadowRestoreReport>>("Upgrade", "ShadowRestore",
                "Verification: restore every (or one) process's current state in shadow on a card and compare it with the primary; nothing is taken over", BadRequest, NotFound, Conflict);
        api.MapGet("/upgrade/campaign", (IGrainFactory grains) => Guard(async () =>
                await grains.GetGrain<IChassisManager>(IChassisManager.Key).GetCampaign()
                ?? throw new RedundancyException(RedundancyErrorKind.UnknownProcess, "No upgrade campaign was ever started on this chassis.")))
            .Describe<CampaignRecord>("Upgrade", "GetCampaign", "The upgrade campaign record the orchestrator persists", NotFound);
        api.MapPut("/upgrade/campaign", async (HttpRequest request, string? note, IGrainFactory grains) =>
            {
                var record = await ReadBodyAsync<CampaignRecord>(request, "campaign record");
                return record.Error ?? await Guard(() => grains.GetGrain<IChassisManager>(IChassisManager.Key).SaveCampaign(record.Value!, note));
            })
            .AcceptsJson<CampaignRecord>()
            .Describe<CampaignRecord>("Upgrade", "SaveCampaign", "Save the campaign record: compare-and-swap on its revision (409 when it changed); note goes to the timeline",
                BadRequest, Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
    }

    private static int ParseSlot(string slot) =>
        int.TryParse(slot, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"Slot '{slot}' is not a slot number (1 or more).");
}
