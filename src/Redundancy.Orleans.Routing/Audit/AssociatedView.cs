namespace Redundancy.Orleans.Routing.Audit;

/// <summary>What one associated process (the card's forwarding table, a peer) holds of a process's best paths.</summary>
internal sealed record AssociatedView(string Target, long Seq, IReadOnlyDictionary<string, Route> Entries, bool IsForwardingTable);
