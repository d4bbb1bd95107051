using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Client.Upgrade;
using Redundancy.Orleans.Diagnostics;
using Redundancy.Orleans.Upgrade;

namespace Redundancy.Orleans.Monitoring.Telemetry;

/// <summary>
/// <see cref="Instruments.UpgradeCommitWait"/>: how long the upgrade campaign (U1) has been waiting for commit. The
/// campaign record lives in the chassis manager; the host of the management API reads it every
/// <see cref="Interval"/>, so that an alert can say that a campaign was left waiting (its orchestrator died, nobody
/// committed, the fallback timer did not run).
/// </summary>
public static class UpgradeCommitWaitGauge
{
    /// <summary>How often the campaign record is read.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Serves the gauge from this host (only one host per chassis should: the host of the management API).</summary>
    public static IServiceCollection AddUpgradeCommitWaitGauge(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<CommitWaitInstrument>();
        services.AddHostedService<Poller>();
        return services;
    }

    /// <summary>When the campaign of <paramref name="record"/> started waiting for commit; null when it does not wait.</summary>
    public static DateTimeOffset? WaitingSince(CampaignRecord? record)
    {
        if (record is null || string.IsNullOrEmpty(record.Document))
        {
            return null;
        }

        UpgradeCampaign campaign;
        try
        {
            campaign = UpgradeCampaign.FromJson(record.Document);
        }
        catch (JsonException)
        {
            return null;
        }

        // The fallback timer starts when the campaign reaches WaitingForCommit.
        return campaign.Phase != CampaignPhase.WaitingForCommit ? null
            : campaign.FallbackAt is { } fallback ? fallback - campaign.Settings.FallbackTimeout
            : record.SavedAt;
    }

    /// <summary>The gauge, on a meter of this host's <see cref="IMeterFactory"/>; it reads what the poller last saw.</summary>
    internal sealed class CommitWaitInstrument
    {
        private volatile StrongBox<DateTimeOffset?> _waitingSince = new(null);

        public CommitWaitInstrument(IMeterFactory meters, TimeProvider time)
        {
            var d = Instruments.UpgradeCommitWait;
            meters.Create(new MeterOptions(TelemetryNames.Meter)).CreateObservableGauge(
                d.Name, () => _waitingSince.Value is { } since ? Math.Max(0, (time.GetUtcNow() - since).TotalSeconds) : 0, d.Unit, d.Description);
        }

        public DateTimeOffset? WaitingSince
        {
            get => _waitingSince.Value;
            set => _waitingSince = new(value);
        }
    }

    private sealed class Poller(IGrainFactory grains, CommitWaitInstrument gauge, TimeProvider time) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(Interval, time);
            do
            {
                try
                {
                    gauge.WaitingSince = WaitingSince(await grains.GetGrain<IChassisManager>(IChassisManager.Key).GetCampaign().WaitAsync(Interval, stoppingToken));
                }
                catch (Exception e) when (e is not OutOfMemoryException && !stoppingToken.IsCancellationRequested)
                {
                    // The chassis manager is moving or not up yet: keep the last value until it answers.
                }
            }
            while (await NextAsync(timer, stoppingToken));
        }

        private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken ct)
        {
            try
            {
                return await timer.WaitForNextTickAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }
}
