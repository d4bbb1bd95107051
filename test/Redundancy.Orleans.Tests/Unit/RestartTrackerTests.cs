using Microsoft.Extensions.Options;
using Redundancy.Orleans.CardManagement;
using Redundancy.Orleans.Hosting;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Unit;

public sealed class RestartTrackerTests
{
    private readonly ManualTimeProvider _time = new();

    private RestartTracker Tracker(int max, int windowSeconds) =>
        new(Options.Create(new RedundancyOptions { MaxRestarts = max, RestartWindow = TimeSpan.FromSeconds(windowSeconds) }), _time);

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
}
