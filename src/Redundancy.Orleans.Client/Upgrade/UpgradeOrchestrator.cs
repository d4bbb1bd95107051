using System.Diagnostics;
using System.Globalization;
using System.Net;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Upgrade;

namespace Redundancy.Orleans.Client.Upgrade;

/// <summary>
/// Runs in-service rolling upgrades (U1) as a persisted, resumable state machine whose record the chassis
/// keeps: if this process dies, <see cref="ResumeAsync"/> — here or on another host — goes on from the record
/// and from the chassis as it is (every step is decided from live state, so a step cut in half is redone).
/// Only one campaign runs at a time: the record has an owner and a lease.
/// </summary>
public sealed partial class UpgradeOrchestrator(ChassisClient client, ICardProvisioner provisioner, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private CampaignRecord? _record;

    /// <summary>Who runs the campaign: <c>host:pid</c> by default.</summary>
    public string Owner { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>How long the owner's claim lasts without renewal (renewed every third of it while running).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Receives one line per step and per wait, for progress display.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>The steps an upgrade to <paramref name="target"/> would take from the chassis as it is now.</summary>
    public async Task<IReadOnlyList<UpgradeAction>> PlanAsync(string target, CancellationToken ct = default)
    {
        await CheckVersionAsync(target, ct);
        return UpgradePlanner.Plan(await client.GetChassisAsync(ct), target);
    }

    /// <summary>The campaign, or null when none was ever started.</summary>
    public async Task<UpgradeCampaign?> GetAsync(CancellationToken ct = default) =>
        await client.GetCampaignAsync(ct) is { Document.Length: > 0 } r ? UpgradeCampaign.FromJson(r.Document) : null;

    /// <summary>Starts a campaign to <paramref name="target"/> and runs it to commit, WaitingForCommit's fallback, or rollback.</summary>
    public async Task<UpgradeCampaign> StartAsync(string target, CampaignSettings settings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.FallbackTimeout <= TimeSpan.Zero || settings.GateTimeout <= TimeSpan.Zero || settings.CardTimeout <= TimeSpan.Zero)
        {
            throw new UpgradeException(UpgradeErrorKind.InvalidInput,
                $"Campaign timeouts must be positive (fallback {settings.FallbackTimeout}, gate {settings.GateTimeout}, card {settings.CardTimeout}).");
        }

        await CheckVersionAsync(target, ct);
        var record = await client.GetCampaignAsync(ct);
        if (record is { Document.Length: > 0 } && UpgradeCampaign.FromJson(record.Document) is { IsFinished: false } running)
        {
            throw new UpgradeException(UpgradeErrorKind.CampaignBusy,
                $"Campaign {running.Id} ({running.OriginalVersion} -> {running.TargetVersion}) is {running.Phase}{OwnerText(record)}: resume, commit or roll it back first.");
        }

        var status = await client.GetChassisAsync(ct);
        var versions = status.Cards.Where(c => c.IsLiveCard()).Select(c => c.Version ?? "?").Distinct().ToList();
        if (versions.Count != 1)
        {
            throw new UpgradeException(UpgradeErrorKind.Blocked, $"The cards run different versions ({string.Join(", ", versions)}): a campaign starts from one version.");
        }

        if (versions[0] == target)
        {
            throw new UpgradeException(UpgradeErrorKind.InvalidInput, $"Every card already runs {target}.");
        }

        if (UpgradePlanner.Plan(status, target)[^1] is UpgradeAction.Blocked blocked)
        {
            throw new UpgradeException(UpgradeErrorKind.Blocked, "The chassis cannot be upgraded as it is: " + blocked.Reason);
        }

        var now = _time.GetUtcNow();
        var campaign = new UpgradeCampaign
        {
            Id = now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture),
            TargetVersion = target,
            OriginalVersion = versions[0],
            Settings = settings,
            StartedAt = now,
            BaselineRestarts = HealthGates.Restarts(status),
        };
        await SaveAsync(_ => campaign, $"campaign {campaign.Id} started: {campaign.OriginalVersion} -> {target}", ct);
        return await RunAsync(ct);
    }

    /// <summary>Goes on with the campaign from its record (after this or another orchestrator stopped).</summary>
    public async Task<UpgradeCampaign> ResumeAsync(CancellationToken ct = default)
    {
        var campaign = await ClaimAsync(ct);
        if (campaign.IsFinished)
        {
            return campaign;
        }

        Report($"resuming campaign {campaign.Id} ({campaign.OriginalVersion} -> {campaign.TargetVersion}) at {campaign.Phase}");
        await SaveAsync(c => c, $"campaign {campaign.Id} resumed by {Owner} at {campaign.Phase}", ct);
        return await RunAsync(ct);
    }

    /// <summary>
    /// Commits: at once when the campaign waits for it and nobody runs it; otherwise the running orchestrator
    /// commits when every card runs the new version.
    /// </summary>
    public async Task<UpgradeCampaign> CommitAsync(CancellationToken ct = default)
    {
        var campaign = await LoadAsync(ct);
        if (campaign.Phase is CampaignPhase.Committed)
        {
            return campaign;
        }

        if (campaign.Phase is CampaignPhase.RollingBack or CampaignPhase.RolledBack)
        {
            throw new UpgradeException(UpgradeErrorKind.NoCampaign, $"Campaign {campaign.Id} is {campaign.Phase} ({campaign.RollbackReason}); it cannot be committed.");
        }

        if (campaign.Phase == CampaignPhase.WaitingForCommit && !OwnerIsLive(_record!))
        {
            return await SaveAsync(c => c with { Phase = CampaignPhase.Committed }, $"campaign {campaign.Id} committed: every card runs {campaign.TargetVersion}", ct);
        }

        return await SaveAsync(c => c with { CommitRequested = true }, $"commit requested for campaign {campaign.Id}", ct, keepOwner: true);
    }

    /// <summary>Rolls back to the original version: asks the running orchestrator, or does it here if nobody runs the campaign.</summary>
    public async Task<UpgradeCampaign> RollbackAsync(string reason, CancellationToken ct = default)
    {
        var campaign = await LoadAsync(ct);
        if (campaign.Phase == CampaignPhase.Committed)
        {
            throw new UpgradeException(UpgradeErrorKind.NoCampaign,
                $"Campaign {campaign.Id} is committed; to go back to {campaign.OriginalVersion}, run an upgrade to it.");
        }

        if (campaign.Phase == CampaignPhase.RolledBack)
        {
            return campaign;
        }

        if (OwnerIsLive(_record!))
        {
            return await SaveAsync(c => c with { RollbackRequested = reason }, $"rollback requested for campaign {campaign.Id}: {reason}", ct, keepOwner: true);
        }

        await ClaimAsync(ct);
        await SaveAsync(c => c.Phase == CampaignPhase.RollingBack ? c : StartRollback(c, reason, null), $"campaign {campaign.Id} rolling back: {reason}", ct);
        return await RunAsync(ct);
    }

    private async Task CheckVersionAsync(string target, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            throw new UpgradeException(UpgradeErrorKind.InvalidInput, "Say which version to upgrade to.");
        }

        var versions = await client.GetVersionsAsync(ct);
        if (!versions.Contains(target))
        {
            throw new UpgradeException(UpgradeErrorKind.InvalidInput, $"Unknown version '{target}': the chassis can start cards at {string.Join(", ", versions)}.");
        }
    }

    private async Task<UpgradeCampaign> LoadAsync(CancellationToken ct)
    {
        _record = await RetryAsync(client.GetCampaignAsync, ct);
        return _record is { Document.Length: > 0 }
            ? UpgradeCampaign.FromJson(_record.Document)
            : throw new UpgradeException(UpgradeErrorKind.NoCampaign, "No upgrade campaign was ever started on this chassis.");
    }

    /// <summary>Makes this orchestrator the campaign's owner, unless another live one holds it.</summary>
    private async Task<UpgradeCampaign> ClaimAsync(CancellationToken ct)
    {
        var campaign = await LoadAsync(ct);
        if (!campaign.IsFinished && OwnerIsLive(_record!))
        {
            throw new UpgradeException(UpgradeErrorKind.CampaignBusy, $"Campaign {campaign.Id} is {campaign.Phase}{OwnerText(_record!)}; wait for it, or for its lease to expire.");
        }

        return campaign;
    }

    /// <summary>True while another orchestrator holds the lease and, if it is on this host, its process lives.</summary>
    private bool OwnerIsLive(CampaignRecord record)
    {
        if (record.Owner is not { } owner || owner == Owner || record.LeaseUntil is not { } until || until <= _time.GetUtcNow())
        {
            return false;
        }

        var parts = owner.Split(':');
        if (parts.Length == 2 && parts[0] == Environment.MachineName && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false; // its process is gone: the lease is void
            }
        }

        return true;
    }

    private string OwnerText(CampaignRecord record) =>
        record.Owner is { } o && record.LeaseUntil is { } until && until > _time.GetUtcNow() ? $", run by {o} (lease until {until:HH:mm:ss})" : "";

    /// <summary>
    /// Saves a change to the campaign: re-reads the record, applies <paramref name="change"/> to the newest
    /// campaign (so requests saved by others meanwhile are kept), and retries on a conflicting write.
    /// </summary>
    private async Task<UpgradeCampaign> SaveAsync(Func<UpgradeCampaign, UpgradeCampaign> change, string? note, CancellationToken ct, bool keepOwner = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            var record = await RetryAsync(client.GetCampaignAsync, ct) ?? new CampaignRecord();
            var current = record.Document.Length == 0 ? null : UpgradeCampaign.FromJson(record.Document);
            if (!keepOwner && current is { IsFinished: false } && OwnerIsLive(record))
            {
                throw new UpgradeException(UpgradeErrorKind.CampaignBusy, $"Campaign {current.Id} was taken over{OwnerText(record)}.");
            }

            var next = change(current!);
            var toSave = record with
            {
                Document = next.ToJson(),
                Owner = keepOwner ? record.Owner : next.IsFinished ? null : Owner,
                LeaseUntil = keepOwner ? record.LeaseUntil : next.IsFinished ? null : _time.GetUtcNow() + Lease,
            };
            try
            {
                _record = await RetryAsync(t => client.SaveCampaignAsync(toSave, note, t), ct);
                return next;
            }
            catch (ChassisApiException e) when (e.Status == HttpStatusCode.Conflict && attempt < 5)
            {
                // someone saved in between: re-read and apply the change to what they saved
            }
        }
    }

    private void Report(string line) => Progress?.Invoke(line);
}
