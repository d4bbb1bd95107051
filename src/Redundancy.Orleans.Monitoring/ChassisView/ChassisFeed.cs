using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Client;

namespace Redundancy.Orleans.Monitoring.ChassisView;

/// <summary>
/// Reads the chassis every <see cref="ChassisViewOptions.RefreshInterval"/> — once for all viewers — and
/// publishes the snapshot as JSON; viewers wait for the next change (Server-Sent Events).
/// </summary>
internal sealed class ChassisFeed(IChassisSource source, ChassisViewOptions options, TimeProvider time) : BackgroundService
{
    private readonly ChassisTimeline _timeline = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<ChassisEvent> _events = [];
    private ChassisSnapshot _snapshot = new() { ActionsEnabled = options.ActionsEnabled };
    private string _json = JsonSerializer.Serialize(new ChassisSnapshot { ActionsEnabled = options.ActionsEnabled }, RedundancyJson.Options);

    /// <summary>The latest snapshot, serialized.</summary>
    public string Json
    {
        get
        {
            lock (_lock)
            {
                return _json;
            }
        }
    }

    /// <summary>The current snapshot, then every changed one, until cancelled.</summary>
    public async IAsyncEnumerable<string> StreamAsync([EnumeratorCancellation] CancellationToken ct)
    {
        long sent = -1;
        while (!ct.IsCancellationRequested)
        {
            Task changed;
            string json;
            long version;
            lock (_lock)
            {
                (changed, json, version) = (_changed.Task, _json, _snapshot.Version);
            }

            if (version != sent)
            {
                sent = version;
                yield return json;
            }

            try
            {
                await changed.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.RefreshInterval, time);
        do
        {
            await RefreshAsync(stoppingToken);
        }
        while (await Tick(timer, stoppingToken));
    }

    /// <summary>Reads the chassis once and publishes a new snapshot if anything changed.</summary>
    internal async Task RefreshAsync(CancellationToken ct)
    {
        ChassisSnapshot next;
        try
        {
            var status = source.GetStatusAsync(ct);
            var events = source.GetEventsAsync(ct);
            try
            {
                _events = await events;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // the chassis manager is moving (its card died): keep the events we have
            }

            var s = await status;
            next = _snapshot with { Status = s, Timeline = _timeline.Update(s, _events, time.GetUtcNow()), Error = null, ReadAt = time.GetUtcNow() };
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            next = _snapshot with { Error = $"{e.GetType().Name}: {e.Message}" };
        }

        Publish(next);
    }

    private void Publish(ChassisSnapshot next)
    {
        // ReadAt changes on every read: compare the content without it.
        if (Same(next, _snapshot))
        {
            return;
        }

        next = next with { Version = _snapshot.Version + 1 };
        var json = JsonSerializer.Serialize(next, RedundancyJson.Options);
        TaskCompletionSource changed;
        lock (_lock)
        {
            (_snapshot, _json, changed) = (next, json, _changed);
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private static bool Same(ChassisSnapshot a, ChassisSnapshot b) =>
        JsonSerializer.Serialize(a with { ReadAt = null, Version = 0 }, RedundancyJson.Options) == JsonSerializer.Serialize(b with { ReadAt = null, Version = 0 }, RedundancyJson.Options);

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken ct)
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
