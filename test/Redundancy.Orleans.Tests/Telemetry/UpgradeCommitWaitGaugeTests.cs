using Redundancy.Orleans.Client.Upgrade;
using Redundancy.Orleans.Monitoring.Telemetry;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Upgrade;
using Xunit;

namespace Redundancy.Orleans.Tests.Telemetry;

[Trait("Category", TestCategories.Unit)]
public sealed class UpgradeCommitWaitGaugeTests
{
    private static readonly DateTimeOffset Saved = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void WaitingSince_WaitingForCommit_IsWhenTheFallbackTimerStarted()
    {
        var fallbackAt = Saved.AddMinutes(10);
        var since = UpgradeCommitWaitGauge.WaitingSince(Record(Campaign(CampaignPhase.WaitingForCommit) with
        {
            FallbackAt = fallbackAt,
            Settings = new CampaignSettings { FallbackTimeout = TimeSpan.FromMinutes(4) },
        }));
        Assert.Equal(fallbackAt.AddMinutes(-4), since);
    }

    [Theory]
    [InlineData(CampaignPhase.Activating)]
    [InlineData(CampaignPhase.Committed)]
    [InlineData(CampaignPhase.RolledBack)]
    public void WaitingSince_AnyOtherPhase_IsNull(CampaignPhase phase) =>
        Assert.Null(UpgradeCommitWaitGauge.WaitingSince(Record(Campaign(phase))));

    [Fact]
    public void WaitingSince_NoCampaignOrAnUnreadableDocument_IsNull()
    {
        Assert.Null(UpgradeCommitWaitGauge.WaitingSince(null));
        Assert.Null(UpgradeCommitWaitGauge.WaitingSince(new CampaignRecord { Document = "{not json" }));
    }

    private static UpgradeCampaign Campaign(CampaignPhase phase) =>
        new() { Id = "c1", TargetVersion = "2.0.0", OriginalVersion = "1.0.0", Phase = phase };

    private static CampaignRecord Record(UpgradeCampaign campaign) => new() { Document = campaign.ToJson(), SavedAt = Saved };
}
