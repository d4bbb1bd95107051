using Redundancy.Orleans.ControlPlane;
using Redundancy.Orleans.Upgrade;

namespace Redundancy.Orleans.Chassis;

/// <summary>What a rebuilt control plane cannot get back from the cards: the last saved upgrade campaign (key <c>chassis</c>).</summary>
internal interface IChassisArchive : IGrainWithStringKey
{
    Task SaveCampaign(CampaignRecord record);

    Task<CampaignRecord?> GetCampaign();
}

/// <summary>The control plane's archive in control-plane storage (memory on the control silo, or Redis).</summary>
internal sealed class ChassisArchiveGrain([PersistentState("archive", ControlPlaneStorage.Name)] IPersistentState<ChassisArchive> archive)
    : Grain, IChassisArchive
{
    public async Task SaveCampaign(CampaignRecord record)
    {
        await archive.ReadStateAsync();
        if (archive.State.Campaign is { } stored && (stored.Ballot > record.Ballot || stored.Ballot == record.Ballot && stored.Revision >= record.Revision))
        {
            return; // a later save already arrived
        }

        archive.State.Campaign = record;
        await archive.WriteStateAsync();
    }

    public async Task<CampaignRecord?> GetCampaign()
    {
        await archive.ReadStateAsync();
        return archive.State.Campaign;
    }
}

/// <summary>The archived records.</summary>
[GenerateSerializer]
internal sealed class ChassisArchive
{
    [Id(0)] public CampaignRecord? Campaign { get; set; }
}
