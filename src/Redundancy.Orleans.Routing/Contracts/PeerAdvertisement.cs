namespace Redundancy.Orleans.Routing;

/// <summary>Best-path changes a routing process sends to a peer (an associated process, M8).</summary>
[GenerateSerializer, Immutable]
public sealed record PeerAdvertisement
{
    /// <summary>Sender.</summary>
    [Id(0)] public required string From { get; init; }

    /// <summary>
    /// The ballot of the data the sender advertises (its restored copy's, or its own once it wrote): a peer refuses an
    /// advertisement whose <c>(Epoch, Seq)</c> is below what it holds from the sender, and the sender's audit compares <c>(Epoch, Seq)</c> with its restored copy's.
    /// </summary>
    [Id(1)] public long Epoch { get; init; }

    /// <summary>The sender seq the peer must hold for this delta to apply; ignored with <see cref="Replace"/>.</summary>
    [Id(2)] public long PrevSeq { get; init; }

    /// <summary>The sender seq this advertisement brings the peer to.</summary>
    [Id(3)] public long Seq { get; init; }

    /// <summary>True: the routes are the sender's whole best-path table.</summary>
    [Id(4)] public bool Replace { get; init; }

    /// <summary>Best paths added or changed.</summary>
    [Id(5)] public IReadOnlyList<Route> Routes { get; init; } = [];

    /// <summary>Prefixes no longer reachable through the sender.</summary>
    [Id(6)] public IReadOnlyList<string> Withdrawn { get; init; } = [];

    /// <summary>The sender data ballot the peer must hold (with <see cref="PrevSeq"/>) for this delta to apply.</summary>
    [Id(7)] public long PrevEpoch { get; init; }
}

/// <summary>A peer's answer to an advertisement.</summary>
public enum AdvertisementOutcome
{
    /// <summary>Applied.</summary>
    Accepted = 0,

    /// <summary>The peer's copy is not at <c>PrevSeq</c>: send the whole table.</summary>
    NeedFull = 1,

    /// <summary>The sender's <c>(data ballot, seq)</c> is older than what the peer holds from it.</summary>
    StaleEpoch = 2,
}

/// <summary>What a peer holds from a sender, for the sender's audit.</summary>
[GenerateSerializer, Immutable]
public sealed record PeerView
{
    /// <summary>Sender data ballot of the last accepted advertisement.</summary>
    [Id(0)] public long Epoch { get; init; }

    /// <summary>Sender seq of the last accepted advertisement (0: nothing received).</summary>
    [Id(1)] public long Seq { get; init; }

    /// <summary>The routes held.</summary>
    [Id(2)] public IReadOnlyList<Route> Routes { get; init; } = [];
}
