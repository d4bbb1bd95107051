using Redundancy.Orleans.Routing;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.Support;
using Xunit;

namespace Redundancy.Orleans.Tests.Cluster;

/// <summary>
/// A peer keeps the newest table a sender advertised, ordered by the sender's <c>(data ballot, seq)</c>. An
/// advertisement that arrives late — from a superseded activation of the sender (its card hung and resumed), or a
/// delayed copy of an earlier message — is refused and changes nothing. Found by the chaos checker (a peer held routes
/// from a process that it no longer had, after a card was stopped and resumed).
/// </summary>
[Collection(SynchronousChassisCollection.Name)]
[Trait("Category", TestCategories.Cluster)]
public sealed class PeerAdvertisementTests(SynchronousChassisFixture chassis)
{
    [Fact]
    public async Task OlderAdvertisement_FromTheSameBallot_IsRefusedAndChangesNothing()
    {
        await chassis.WaitReadyAsync("adv-1");
        await chassis.WaitReadyAsync("adv-2");
        var receiver = chassis.Process("adv-2");

        // A ballot no activation of adv-1 reaches during the test, so its own pump cannot interfere.
        const long Ballot = long.MaxValue / 2;
        var newer = Replace(Ballot, 10, "10.60.1.0/24");
        Assert.Equal(AdvertisementOutcome.Accepted, await receiver.Advertise(newer));

        // The table the sender had at seq 5, arriving after the one at seq 10: it held one more route then.
        var older = Replace(Ballot, 5, "10.60.1.0/24", "10.60.2.0/24");
        Assert.Equal(AdvertisementOutcome.StaleEpoch, await receiver.Advertise(older));
        await AssertHeldAsync(receiver, Ballot, 10, "10.60.1.0/24");

        // A delta that continues from what is held but goes back in seq.
        var backwards = new PeerAdvertisement { From = "adv-1", Epoch = Ballot, PrevEpoch = Ballot, PrevSeq = 10, Seq = 8, Routes = [TestRoutes.V4("10.60.3.0/24")] };
        Assert.Equal(AdvertisementOutcome.StaleEpoch, await receiver.Advertise(backwards));
        await AssertHeldAsync(receiver, Ballot, 10, "10.60.1.0/24");

        // An older ballot with a higher seq is older still.
        Assert.Equal(AdvertisementOutcome.StaleEpoch, await receiver.Advertise(Replace(Ballot - 1, 100, "10.60.4.0/24")));
        await AssertHeldAsync(receiver, Ballot, 10, "10.60.1.0/24");

        // The same message again (a retry) is accepted: it is not older.
        Assert.Equal(AdvertisementOutcome.Accepted, await receiver.Advertise(newer));
        await AssertHeldAsync(receiver, Ballot, 10, "10.60.1.0/24");

        // A newer one still applies.
        var next = new PeerAdvertisement { From = "adv-1", Epoch = Ballot, PrevEpoch = Ballot, PrevSeq = 10, Seq = 11, Withdrawn = ["10.60.1.0/24"], Routes = [TestRoutes.V4("10.60.5.0/24")] };
        Assert.Equal(AdvertisementOutcome.Accepted, await receiver.Advertise(next));
        await AssertHeldAsync(receiver, Ballot, 11, "10.60.5.0/24");
    }

    private static PeerAdvertisement Replace(long ballot, long seq, params string[] prefixes) =>
        new() { From = "adv-1", Epoch = ballot, Seq = seq, Replace = true, Routes = [.. prefixes.Select(p => TestRoutes.V4(p))] };

    private static async Task AssertHeldAsync(IRoutingProcess receiver, long ballot, long seq, params string[] prefixes)
    {
        var held = await receiver.GetReceivedFrom("adv-1");
        Assert.Equal((ballot, seq), (held.Epoch, held.Seq));
        Assert.Equal(prefixes.Order(StringComparer.Ordinal), held.Routes.Select(r => r.Prefix).Order(StringComparer.Ordinal));
    }
}
