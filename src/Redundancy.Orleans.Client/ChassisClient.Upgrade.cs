using System.Net;
using System.Text.Json;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Upgrade;

namespace Redundancy.Orleans.Client;

/// <summary>The upgrade surface of the management API (U1).</summary>
public sealed partial class ChassisClient
{
    /// <summary>One process's status.</summary>
    public Task<ProcessStatus> GetProcessAsync(string process, CancellationToken ct = default) =>
        GetAsync<ProcessStatus>(ProcessPath(process), ct);

    /// <summary>Planned switchover of a slot to a spare; returns the switchover event.</summary>
    public Task<ChassisEvent> SwitchoverAsync(int slot, string toCard, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slot, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(toCard);
        return SendAsync<ChassisEvent>(HttpMethod.Post, $"api/slots/{slot}/switchover?to={Uri.EscapeDataString(toCard)}", null, ct);
    }

    /// <summary>
    /// Drains a slot: planned switchover to <paramref name="toCard"/>, then waits until every process of the slot is
    /// ready there. Returns the switchover event (with its timings once the chassis recorded its completion) and
    /// the status that showed the slot ready. The switchover is idempotent, so a caller may repeat it.
    /// </summary>
    public async Task<(ChassisEvent Event, Cards.ChassisStatus Status)> DrainAsync(int slot, string toCard, TimeSpan timeout, CancellationToken ct = default)
    {
        var started = await SwitchoverAsync(slot, toCard, ct);
        var status = await WaitForAsync(s => s.Processes.Where(p => p.Slot == slot).All(p => p.CardId == toCard && p.State == ProcessState.Ready),
            timeout, $"slot {slot}'s processes ready on {toCard}", ct);
        var done = (await GetEventsAsync(started.Id - 1, ct)).FirstOrDefault(e => e.Id == started.Id) ?? started;
        return (done, status);
    }

    /// <summary>The software versions the chassis can start cards at.</summary>
    public async Task<IReadOnlyList<string>> GetVersionsAsync(CancellationToken ct = default) =>
        (await GetAsync<Management.BuildVersions>("api/builds", ct)).Versions;

    /// <summary>Stops a card that serves no slot, gracefully.</summary>
    public Task StopCardAsync(string card, CancellationToken ct = default) => PostCardAsync(card, "stop", ct);

    /// <summary>Starts a stopped card as a spare at a software version.</summary>
    public Task StartCardAsync(string card, string version, CancellationToken ct = default)
    {
        var path = CardPath(card);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        return SendAsync<JsonElement>(HttpMethod.Post, $"{path}/start?version={Uri.EscapeDataString(version)}", null, ct);
    }

    /// <summary>The build a card runs: version, schemas, interface versions.</summary>
    public Task<BuildInfo> GetBuildAsync(string card, CancellationToken ct = default) =>
        GetAsync<BuildInfo>(CardPath(card) + "/build", ct);

    /// <summary>Restores every process's current state in shadow on a card (verification; nothing is taken over).</summary>
    public Task<IReadOnlyList<ShadowRestoreReport>> ShadowRestoreAsync(string card, CancellationToken ct = default) =>
        SendAsync<IReadOnlyList<ShadowRestoreReport>>(HttpMethod.Post, CardPath(card) + "/shadow-restore", null, ct);

    /// <summary>The upgrade campaign record, or null when there never was one.</summary>
    public async Task<CampaignRecord?> GetCampaignAsync(CancellationToken ct = default)
    {
        try
        {
            return await GetAsync<CampaignRecord>("api/upgrade/campaign", ct);
        }
        catch (ChassisApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Saves the campaign record (compare-and-swap on its revision); <paramref name="note"/> goes to the event timeline.</summary>
    public Task<CampaignRecord> SaveCampaignAsync(CampaignRecord record, string? note, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentOutOfRangeException.ThrowIfNegative(record.Revision, nameof(record));
        return SendAsync<CampaignRecord>(HttpMethod.Put, "api/upgrade/campaign" + (note is null ? "" : "?note=" + Uri.EscapeDataString(note)), record, ct);
    }
}
