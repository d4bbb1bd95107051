using System.Diagnostics;
using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Client.Upgrade;

/// <summary>The state machine itself.</summary>
public sealed partial class UpgradeOrchestrator
{
    private static readonly TimeSpan CommitPoll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan CommitReminder = TimeSpan.FromSeconds(10);
    private DateTimeOffset _lastCommitReminder = DateTimeOffset.MinValue;

    private async Task<UpgradeCampaign> RunAsync(CancellationToken ct)
    {
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewing = RenewLeaseAsync(heartbeat.Token);
        try
        {
            while (true)
            {
                var c = await LoadAsync(ct);
                if (c is { IsFinished: false, StoppedCard: { } stopped })
                {
                    await RestartStoppedCardAsync(c, stopped, ct);
                    continue;
                }

                switch (c.Phase)
                {
                    case CampaignPhase.Committed:
                        Report($"campaign {c.Id} committed: every card runs {c.TargetVersion}");
                        return c;
                    case CampaignPhase.RolledBack:
                        Report($"campaign {c.Id} rolled back to {c.OriginalVersion}: {c.RollbackReason}");
                        return c;
                    case CampaignPhase.Prepared:
                        try
                        {
                            await PrepareAsync(c, ct);
                        }
                        catch (Exception e) when (e is TimeoutException or UpgradeException or ChassisApiException)
                        {
                            await SaveAsync(x => StartRollback(x, "preparing the spare failed: " + e.Message, null), $"campaign {c.Id} rolling back: preparing the spare failed", ct);
                        }

                        break;
                    case CampaignPhase.Verified:
                        await SaveAsync(x => x with { Phase = CampaignPhase.Activating }, $"campaign {c.Id} activating", ct);
                        break;
                    case CampaignPhase.Activating:
                    case CampaignPhase.RollingBack:
                        await StepAsync(c, ct);
                        break;
                    case CampaignPhase.WaitingForCommit:
                        await WaitForCommitAsync(c, ct);
                        break;
                }
            }
        }
        finally
        {
            await heartbeat.CancelAsync();
            await renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Spare first, then verification on it: shadow restores and interface compatibility.</summary>
    private async Task PrepareAsync(UpgradeCampaign c, CancellationToken ct)
    {
        var status = await RetryAsync(client.GetChassisAsync, ct);
        if (UpgradePlanner.Next(status, c.TargetVersion) is UpgradeAction.UpgradeSpare upgrade)
        {
            await ExecuteAsync(c, upgrade, ct);
            status = await RetryAsync(client.GetChassisAsync, ct);
        }

        var spare = status.Cards.FirstOrDefault(x => x.Alive && x.Role == CardRoles.Spare && x.Version == c.TargetVersion)
            ?? throw new UpgradeException(UpgradeErrorKind.Blocked, $"No spare runs {c.TargetVersion} after upgrading the spare: {ChassisClient.Describe(status)}");
        var serving = status.Cards.First(x => x.Alive && x.Role == CardRoles.Line);
        using var span = UpgradeTelemetry.StartStep(c, "verify", spare.CardId);
        var watch = Stopwatch.StartNew();
        Report($"verifying {c.TargetVersion} on {spare.CardId}: interface versions, then every process restored in shadow");
        var problems = new List<string>();
        var candidate = await RetryAsync(t => client.GetBuildAsync(spare.CardId, t), ct);
        var running = await RetryAsync(t => client.GetBuildAsync(serving.CardId, t), ct);
        foreach (var (name, version) in running.InterfaceVersions)
        {
            var next = candidate.InterfaceVersions.GetValueOrDefault(name);
            if (next < version || next > version + 1)
            {
                problems.Add($"{name} version {version} -> {next} is not compatible (a build may keep an interface version or raise it by one)");
            }
        }

        var reports = problems.Count == 0 ? await RetryAsync(t => client.ShadowRestoreAsync(spare.CardId, t), ct) : [];
        problems.AddRange(reports.Where(r => !r.Ok).Select(r => $"{r.Process}: {r.Error}"));
        if (problems.Count > 0)
        {
            var reason = $"verification of {c.TargetVersion} on {spare.CardId} refused: " + string.Join("; ", problems);
            span?.SetStatus(ActivityStatusCode.Error, reason);
            Report(reason);
            await SaveAsync(x => StartRollback(x, reason, Step(x, "verification refused", watch)), reason, ct);
            return;
        }

        var summary = $"verified {c.TargetVersion} on {spare.CardId}: {reports.Count} processes restored in shadow " +
            $"({reports.Sum(r => r.Entries)} entries, schema {string.Join("/", reports.Select(r => r.Schema).Distinct())}, slowest {reports.Select(r => r.DecodeMs).DefaultIfEmpty(0).Max():0} ms), " +
            $"interfaces {string.Join(", ", candidate.InterfaceVersions.Select(kv => $"{kv.Key} {running.InterfaceVersions.GetValueOrDefault(kv.Key)}->{kv.Value}"))}";
        Report(summary);
        await SaveAsync(x => x with { Phase = CampaignPhase.Verified, Steps = [.. x.Steps, Step(x, summary, watch)] }, summary, ct);
    }

    /// <summary>One step towards the phase's target version, then the health gates.</summary>
    private async Task StepAsync(UpgradeCampaign c, CancellationToken ct)
    {
        var rollingBack = c.Phase == CampaignPhase.RollingBack;
        if (!rollingBack && c.RollbackRequested is { } asked)
        {
            await SaveAsync(x => StartRollback(x, "operator: " + asked, null), $"campaign {c.Id} rolling back: {asked}", ct);
            return;
        }

        var status = await RetryAsync(client.GetChassisAsync, ct);
        var action = UpgradePlanner.Next(status, c.CurrentTarget);
        switch (action)
        {
            case UpgradeAction.Done when rollingBack:
                await SaveAsync(x => x with { Phase = CampaignPhase.RolledBack }, $"campaign {c.Id} rolled back: every card runs {c.OriginalVersion}", ct);
                return;
            case UpgradeAction.Done:
                await SaveAsync(x => x with { Phase = CampaignPhase.WaitingForCommit, FallbackAt = _time.GetUtcNow() + x.Settings.FallbackTimeout },
                    $"campaign {c.Id}: every card runs {c.TargetVersion}; waiting for commit (fallback in {c.Settings.FallbackTimeout.TotalSeconds:0} s)", ct);
                return;
            case UpgradeAction.Blocked b when rollingBack:
                throw new UpgradeException(UpgradeErrorKind.Blocked, $"Rollback of campaign {c.Id} is blocked: {b.Reason}. Fix it and resume.");
            case UpgradeAction.Blocked b:
                await SaveAsync(x => StartRollback(x, b.Reason, null), $"campaign {c.Id} rolling back: {b.Reason}", ct);
                return;
        }

        try
        {
            await ExecuteAsync(c, action, ct);
        }
        catch (Exception e) when (!rollingBack && e is TimeoutException or UpgradeException or ChassisApiException)
        {
            await SaveAsync(x => StartRollback(x, $"{action} failed: {e.Message}", null), $"campaign {c.Id} rolling back: {action} failed", ct);
        }
    }

    private async Task ExecuteAsync(UpgradeCampaign c, UpgradeAction action, CancellationToken ct)
    {
        using var span = UpgradeTelemetry.StartStep(c, action);
        var watch = Stopwatch.StartNew();
        Report($"{c.Phase}: {action}");
        string outcome;
        switch (action)
        {
            case UpgradeAction.UpgradeSpare u:
                await SaveAsync(x => x with { StoppedCard = u.Card }, null, ct);
                await provisioner.StopCardAsync(u.Card, ct);
                await client.WaitForAsync(s => s.Cards.All(x => x.CardId != u.Card || !x.Alive), c.Settings.CardTimeout, $"card {u.Card} to stop", ct);
                await provisioner.StartCardAsync(u.Card, u.ToVersion, ct);
                await WaitJoinedAsync(c, u.Card, u.ToVersion, ct);
                await SaveAsync(x => x with { StoppedCard = null }, null, ct);
                outcome = $"{u.Card} restarted at {u.ToVersion} and joined as the spare";
                break;
            case UpgradeAction.Switchover s:
                var (done, status) = await RetryAsync(t => client.DrainAsync(s.Slot, s.ToCard, c.Settings.CardTimeout, t), ct);
                outcome = $"slot {s.Slot} moved {s.FromCard} -> {s.ToCard}: {status.Processes.Count(p => p.Slot == s.Slot)} processes ready" +
                    (done.TotalMs is { } total ? $" in {total:0} ms (restore {done.RestoreMs:0} ms, audit {done.AuditMs:0} ms)" : "");
                break;
            default:
                throw new InvalidOperationException($"Not an executable step: {action}");
        }

        Report(outcome);
        await GatesAsync(c, ct);
        await SaveAsync(x => x with { Steps = [.. x.Steps, Step(x, outcome, watch)] }, outcome, ct);
    }

    /// <summary>Brings back a card this campaign stopped before its orchestrator died, at the version the phase is heading to.</summary>
    private async Task RestartStoppedCardAsync(UpgradeCampaign c, string card, CancellationToken ct)
    {
        var status = await RetryAsync(client.GetChassisAsync, ct);
        if (!status.Cards.Any(x => x.CardId == card && x.Alive))
        {
            Report($"card {card} was stopped by this campaign and is still down: starting it at {c.CurrentTarget}");
            try
            {
                await provisioner.StartCardAsync(card, c.CurrentTarget, ct);
            }
            catch (ChassisApiException e) when (e.Status == System.Net.HttpStatusCode.Conflict)
            {
                // it was already starting when the orchestrator died: just wait for it
            }

            await WaitJoinedAsync(c, card, version: null, ct);
        }

        await SaveAsync(x => x with { StoppedCard = null }, $"campaign {c.Id}: card {card} is back", ct);
    }

    private Task WaitJoinedAsync(UpgradeCampaign c, string card, string? version, CancellationToken ct) =>
        client.WaitForAsync(s => s.Cards.Any(x => x.CardId == card && x.Alive && (version is null || x.Version == version) && x.Role == CardRoles.Spare),
            c.Settings.CardTimeout, $"card {card} to join as a spare{(version is null ? "" : " at " + version)}", ct);

    /// <summary>Waits for the health gates; a failed gate during activation rolls back (by throwing into <see cref="StepAsync"/>).</summary>
    private async Task GatesAsync(UpgradeCampaign c, CancellationToken ct)
    {
        GateResult? last = null;
        try
        {
            await client.WaitForAsync(s =>
            {
                last = HealthGates.Check(s, c.BaselineRestarts);
                if (last.Failed.Count > 0 && c.Phase != CampaignPhase.RollingBack)
                {
                    throw new UpgradeException(UpgradeErrorKind.RolledBack, "health gate failed: " + string.Join("; ", last.Failed));
                }

                return last.Waiting.Count == 0;
            }, c.Settings.GateTimeout, "the health gates", ct);
        }
        catch (TimeoutException) when (last is not null)
        {
            throw new UpgradeException(UpgradeErrorKind.RolledBack, $"health gates did not pass within {c.Settings.GateTimeout.TotalSeconds:0} s: {last}");
        }

        Report("health gates pass");
    }

    private async Task WaitForCommitAsync(UpgradeCampaign c, CancellationToken ct)
    {
        if (c.Settings.AutoCommit || c.CommitRequested)
        {
            await SaveAsync(x => x with { Phase = CampaignPhase.Committed }, $"campaign {c.Id} committed: every card runs {c.TargetVersion}", ct);
            return;
        }

        if (c.RollbackRequested is { } asked)
        {
            await SaveAsync(x => StartRollback(x, "operator: " + asked, null), $"campaign {c.Id} rolling back: {asked}", ct);
            return;
        }

        if (c.FallbackAt is { } at && _time.GetUtcNow() >= at)
        {
            var reason = $"fallback timer expired: no commit within {c.Settings.FallbackTimeout.TotalSeconds:0} s";
            await SaveAsync(x => StartRollback(x, reason, null), $"campaign {c.Id} rolling back: {reason}", ct);
            return;
        }

        // Once, then every 10 s: the operator sees the countdown without a line per poll.
        var now = _time.GetUtcNow();
        if (now - _lastCommitReminder >= CommitReminder)
        {
            _lastCommitReminder = now;
            var left = c.FallbackAt is { } fallback ? (fallback - now).TotalSeconds : double.NaN;
            Report($"waiting for commit: 'redundancy upgrade commit' (or rollback); the fallback timer rolls back in {left:0} s, at {c.FallbackAt:HH:mm:ss}");
        }

        await Task.Delay(CommitPoll, _time, ct);
    }

    private async Task RenewLeaseAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Lease / 3, _time);
        while (await timer.WaitForNextTickAsync(ct))
        {
            try
            {
                await SaveAsync(x => x, null, ct);
            }
            catch (Exception e) when (e is ChassisApiException or HttpRequestException or UpgradeException)
            {
                // The next save of the campaign itself reports what is wrong.
            }
        }
    }

    private static UpgradeCampaign StartRollback(UpgradeCampaign c, string reason, CampaignStep? step) => c with
    {
        Phase = CampaignPhase.RollingBack,
        RollbackReason = reason,
        Steps = step is null ? c.Steps : [.. c.Steps, step],
    };

    private CampaignStep Step(UpgradeCampaign c, string action, Stopwatch watch) =>
        new() { At = _time.GetUtcNow(), Phase = c.Phase, Action = action, Ms = watch.Elapsed.TotalMilliseconds };
}
