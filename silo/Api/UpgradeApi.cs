using Microsoft.AspNetCore.Mvc;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Management;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Silo.Configuration;
using Redundancy.Orleans.Silo.Embedded;
using Redundancy.Orleans.Upgrade;

namespace Redundancy.Orleans.Silo.Api;

/// <summary>
/// The management API's upgrade surface (U1): switchover, card provisioning at a version, build and
/// shadow-restore probes, and the campaign record the client SDK's orchestrator persists.
/// </summary>
internal static class UpgradeApi
{
    private const int BadRequest = StatusCodes.Status400BadRequest;
    private const int NotFound = StatusCodes.Status404NotFound;
    private const int Conflict = StatusCodes.Status409Conflict;
    private const int NotImplemented = StatusCodes.Status501NotImplemented;

    public static void Map(WebApplication app, ChassisOptions chassis)
    {
        app.MapGet("/api/builds", ([FromServices] EmbeddedChassis? embedded) => Results.Json(new BuildVersions { Versions = embedded?.Versions ?? [chassis.Version] }))
            .Describe<BuildVersions>("Upgrade", "GetBuilds", "The software versions the chassis can start cards at");
        app.MapPost("/api/slots/{slot}/switchover", (string slot, string? to, IGrainFactory grains) => ManagementApi.Guard(() =>
            {
                var number = ParseSlot(slot);
                if (string.IsNullOrWhiteSpace(to))
                {
                    throw new RedundancyException(RedundancyErrorKind.InvalidInput, "Say which spare takes the slot over: ?to=<card>.");
                }

                return grains.GetGrain<IChassisManager>(IChassisManager.Key).Switchover(number, to);
            }))
            .Describe<ChassisEvent>("Upgrade", "Switchover", "Planned switchover of a slot to a live spare; the vacated card becomes a spare", BadRequest, NotFound, Conflict);
        app.MapPost("/api/cards/{id}/stop", (string id, CardControl cards) => ManagementApi.Guard(() => cards.StopAsync(id)))
            .Describe<CardStopped>("Cards", "StopCard", "Embedded chassis: stop a card that serves no slot, gracefully", BadRequest, NotFound, Conflict, NotImplemented);
        app.MapPost("/api/cards/{id}/start", (string id, string? version, CardControl cards) => ManagementApi.Guard(() => Task.FromResult(cards.Start(id, version))))
            .Describe<CardStarted>("Cards", "StartCard", "Embedded chassis: start a stopped card as a spare at a software version", BadRequest, NotFound, Conflict, NotImplemented);
        app.MapGet("/api/cards/{id}/build", (string id, IGrainFactory grains, CardControl cards) =>
                ManagementApi.Guard(() => grains.GetGrain<IShadowRestoreProbe>(cards.RequireAlive(id).CardId).GetBuild(), $"Card '{id}'"))
            .Describe<BuildInfo>("Upgrade", "GetCardBuild", "A card's build: version, state schemas it reads, grain interface versions", BadRequest, NotFound, Conflict);
        app.MapPost("/api/cards/{id}/shadow-restore", (string id, string? process, IGrainFactory grains, ProcessDirectory processes, CardControl cards) =>
                ManagementApi.Guard(async () =>
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
        app.MapGet("/api/upgrade/campaign", (IGrainFactory grains) => ManagementApi.Guard(async () =>
                await grains.GetGrain<IChassisManager>(IChassisManager.Key).GetCampaign()
                ?? throw new RedundancyException(RedundancyErrorKind.UnknownProcess, "No upgrade campaign was ever started on this chassis.")))
            .Describe<CampaignRecord>("Upgrade", "GetCampaign", "The upgrade campaign record the orchestrator persists", NotFound);
        app.MapPut("/api/upgrade/campaign", async (HttpRequest request, string? note, IGrainFactory grains) =>
            {
                var record = await ManagementApi.ReadBodyAsync<CampaignRecord>(request, chassis, "campaign record");
                return record.Error ?? await ManagementApi.Guard(() => grains.GetGrain<IChassisManager>(IChassisManager.Key).SaveCampaign(record.Value!, note));
            })
            .AcceptsJson<CampaignRecord>()
            .Describe<CampaignRecord>("Upgrade", "SaveCampaign", "Save the campaign record: compare-and-swap on its revision (409 when it changed); note goes to the timeline",
                BadRequest, Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
    }

    private static int ParseSlot(string slot) =>
        int.TryParse(slot, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"Slot '{slot}' is not a slot number (1 or more).");
}
