using Microsoft.AspNetCore.Mvc;
using Redundancy.Orleans.Chassis;
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
    public static void Map(WebApplication app, ChassisOptions chassis)
    {
        app.MapGet("/api/builds", ([FromServices] EmbeddedChassis? embedded) =>
            Results.Json(new { versions = embedded?.Versions ?? [chassis.Version] }));
        app.MapPost("/api/slots/{slot}/switchover", (string slot, string? to, IGrainFactory grains) => ManagementApi.Guard(() =>
        {
            var number = ParseSlot(slot);
            if (string.IsNullOrWhiteSpace(to))
            {
                throw new RedundancyException(RedundancyErrorKind.InvalidInput, "Say which spare takes the slot over: ?to=<card>.");
            }

            return grains.GetGrain<IChassisManager>(IChassisManager.Key).Switchover(number, to);
        }));
        app.MapPost("/api/cards/{id}/stop", (string id, CardControl cards) => ManagementApi.Guard(() => cards.StopAsync(id)));
        app.MapPost("/api/cards/{id}/start", (string id, string? version, CardControl cards) => ManagementApi.Guard(() => Task.FromResult(cards.Start(id, version))));
        app.MapGet("/api/cards/{id}/build", (string id, IGrainFactory grains, CardControl cards) =>
            ManagementApi.Guard(() => grains.GetGrain<IShadowRestoreProbe>(cards.RequireAlive(id).CardId).GetBuild(), $"Card '{id}'"));
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
            }, $"Card '{id}'"));
        app.MapGet("/api/upgrade/campaign", (IGrainFactory grains) => ManagementApi.Guard(async () =>
            await grains.GetGrain<IChassisManager>(IChassisManager.Key).GetCampaign()
            ?? throw new RedundancyException(RedundancyErrorKind.UnknownProcess, "No upgrade campaign was ever started on this chassis.")));
        app.MapPut("/api/upgrade/campaign", async (HttpRequest request, string? note, IGrainFactory grains) =>
        {
            var record = await ManagementApi.ReadBodyAsync<CampaignRecord>(request, chassis, "campaign record");
            return record.Error ?? await ManagementApi.Guard(() => grains.GetGrain<IChassisManager>(IChassisManager.Key).SaveCampaign(record.Value!, note));
        });
    }

    private static int ParseSlot(string slot) =>
        int.TryParse(slot, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new RedundancyException(RedundancyErrorKind.InvalidInput, $"Slot '{slot}' is not a slot number (1 or more).");
}
