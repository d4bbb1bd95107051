using Microsoft.Extensions.Options;
using Redundancy.Orleans.CardManagement;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Tests.Unit;

[Trait("Category", TestCategories.Unit)]
public sealed class RestartTrackerTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly TestMeters _meters = new();

    public void Dispose() => _meters.Dispose();

    private RestartTracker Tracker(int max, int windowSeconds) =>
        new(Options.Create(new RedundancyOptions { MaxRestarts = max, RestartWindow = TimeSpan.FromSeconds(windowSeconds) }), _time, _meters.Runtime());

    [Fact]
    public void RecordRestart_BeyondLimitWithinWindow_Quarantines()
    {
        var tracker = Tracker(max: 2, windowSeconds: 10);
        Assert.False(tracker.RecordRestart("p", "boom"));
        Assert.False(tracker.RecordRestart("p", "boom"));
        Assert.True(tracker.RecordRestart("p", "boom"));
        Assert.True(tracker.IsQuarantined("p", out var reason));
        Assert.Contains("3 restarts within 10 s (limit 2); last cause: boom", reason);
        Assert.False(tracker.IsQuarantined("other", out _));
    }

    [Fact]
    public void RecordRestart_SpreadBeyondWindow_DoesNotQuarantine()
    {
        var tracker = Tracker(max: 2, windowSeconds: 10);
        for (var i = 0; i < 10; i++)
        {
            Assert.False(tracker.RecordRestart("p", "boom"));
            _time.Advance(TimeSpan.FromSeconds(6));
        }

        Assert.Equal(10, tracker.Restarts("p"));
    }

    [Fact]
    public void Release_LiftsQuarantine()
    {
        var tracker = Tracker(max: 0, windowSeconds: 10);
        Assert.True(tracker.RecordRestart("p", "boom"));
        Assert.True(tracker.Release("p"));
        Assert.False(tracker.IsQuarantined("p", out _));
        Assert.False(tracker.Release("p"));
    }

    [Fact]
    public void Quarantine_Expires_ThenDoublesIfItHappensAgain()
    {
        var tracker = new RestartTracker(Options.Create(new RedundancyOptions { MaxRestarts = 1, RestartWindow = TimeSpan.FromSeconds(10), QuarantineDuration = TimeSpan.FromMinutes(1) }), _time, _meters.Runtime());
        tracker.RecordRestart("p", "boom");
        Assert.True(tracker.RecordRestart("p", "boom"));
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(tracker.IsQuarantined("p", out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(tracker.IsQuarantined("p", out _)); // tried again after its minute

        tracker.RecordRestart("p", "boom");
        Assert.True(tracker.RecordRestart("p", "boom"));
        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.True(tracker.IsQuarantined("p", out var reason)); // the second quarantine lasts two minutes
        Assert.Contains("tried again at", reason);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(tracker.IsQuarantined("p", out _));
    }

    [Fact]
    public void Backoff_DoublesWithRecentRestarts_UpToFiveSeconds()
    {
        var tracker = Tracker(max: 100, windowSeconds: 60);
        Assert.Equal(TimeSpan.Zero, tracker.Backoff("p"));
        tracker.RecordRestart("p", "boom");
        Assert.Equal(TimeSpan.FromMilliseconds(100), tracker.Backoff("p"));
        tracker.RecordRestart("p", "boom");
        Assert.Equal(TimeSpan.FromMilliseconds(200), tracker.Backoff("p"));
        for (var i = 0; i < 20; i++)
        {
            tracker.RecordRestart("p", "boom");
        }

        Assert.Equal(TimeSpan.FromSeconds(5), tracker.Backoff("p"));
    }
}
