using Redundancy.Orleans.Configuration;
namespace Redundancy.Orleans.Tests.Protocol.Simulation;

/// <summary>
/// The invariants, checked against a run's history (registers, so every value names its write):
/// a value read or shown outside was written and not refused (I2); a read never returns less than the last write
/// acknowledged as protected before it began (I1, I4); an acknowledged unprotected write is lost only by a fault of its
/// primary; what the forwarding table and peers were shown is never lost afterwards (hole 10); no replica ever holds a
/// refused value (I2); and, when the faults stayed within tolerance, the process is ready and protected again (I7).
/// </summary>
internal static class SimChecker
{
    public static void Check(SimWorld world, bool withinTolerance)
    {
        var h = world.History;
        var byValue = h.Writes.ToDictionary(w => w.Value);
        foreach (var read in h.Reads)
        {
            CheckRead(h, byValue, read, world.Config is { Mode: Configuration.ReplicationMode.Synchronous, Durability: Configuration.DurabilityMode.RefuseUnprotected });
        }

        // I5: a write one primary acknowledged as protected is in the history every later primary continues from, even when
        // the acknowledgement arrived after the later one restored (two primaries must never both serve their own history).
        foreach (var ack in h.ProtectedAcks)
        {
            var acked = byValue[ack.Value];
            foreach (var restore in h.Restores.Where(r => r.Ballot > ack.Ballot))
            {
                var held = restore.State.TryGetValue(ack.Key, out var v) ? byValue.GetValueOrDefault(v) : null;
                if (held is null || held.Index < acked.Index)
                {
                    h.Violations.Add($"key {ack.Key}: ballot {ack.Ballot} acknowledged write {ack.Value} as protected at {SimHistory.Ms(ack.At)}, but ballot {restore.Ballot} ({restore.By}) restored {(held is null ? "nothing" : held.Value.ToString())} at {SimHistory.Ms(restore.At)}: two primaries served different histories");
                }
            }
        }

        foreach (var ((key, value), at) in h.FirstPublished)
        {
            if (!byValue.TryGetValue(value, out var w))
            {
                h.Violations.Add($"key {key}: value {value} shown outside at {SimHistory.Ms(at)} was never written");
            }
            else if (w.Outcome == WriteOutcome.Refused)
            {
                h.Violations.Add($"key {key}: refused write {value} was shown outside at {SimHistory.Ms(at)} ({w.Detail})");
            }
        }

        foreach (var replica in world.Replicas.Values.SelectMany(r => r))
        {
            foreach (var (key, value) in replica.Copy.State.Values)
            {
                if (byValue.TryGetValue(value, out var w) && w.Outcome == WriteOutcome.Refused)
                {
                    h.Violations.Add($"key {key}: refused write {value} is held by replica {replica.Node.Id} ({w.Detail})");
                }
            }
        }

        if (withinTolerance)
        {
            var serving = world.Primaries.Where(p => p.Node.Alive && p.Status == PrimaryStatus.Ready).MaxBy(p => p.Ballot);
            if (serving?.Session is not { Protected: true, FencedBy: null })
            {
                var states = string.Join("; ", world.Primaries.Select(p => $"{p.Node.Id} {p.Status} ballot {p.Ballot} {(p.Session is { } s ? s.DescribeProtection() : p.Reason)}"));
                h.Violations.Add($"liveness (I7): {world.Config.QuietPhase.TotalSeconds:0} s after the faults stopped, within tolerance ({world.CardFaults} card fault(s), k = {world.Config.ReplicaCount}), the process is not ready and protected: {states}");
            }
        }
    }

    private static void CheckRead(SimHistory h, Dictionary<long, SimWrite> byValue, SimRead read, bool strictEffects)
    {
        SimWrite? got = null;
        if (read.Value is { } v)
        {
            if (!byValue.TryGetValue(v, out got))
            {
                h.Violations.Add($"key {read.Key}: read {v} at {SimHistory.Ms(read.StartedAt)} ({read.By}), a value never written");
                return;
            }

            if (got.Outcome == WriteOutcome.Refused)
            {
                h.Violations.Add($"key {read.Key}: read {v} at {SimHistory.Ms(read.StartedAt)} ({read.By}), a write that was refused ({got.Detail})");
            }
        }

        if (!read.Current)
        {
            return; // a superseded activation may serve a stale read until it learns; its values are still checked above
        }

        var writes = h.Writes.Where(w => w.Key == read.Key).ToList();
        var floor = -1;
        string? why = null;
        foreach (var w in writes)
        {
            if (w.Outcome == WriteOutcome.Protected && w.DoneAt < read.StartedAt && w.Index > floor)
            {
                (floor, why) = (w.Index, $"write {w.Value} acknowledged as protected at {SimHistory.Ms(w.DoneAt)}");
            }

            // An unprotected acknowledgement lives in its primary alone: lost only if that activation failed (or was superseded) before the read.
            if (w.Succeeded && w.DoneAt < read.StartedAt && w.Index > floor && !(w.By is { } by && h.FaultedAt.TryGetValue(by, out var f) && f < read.StartedAt))
            {
                (floor, why) = (w.Index, $"write {w.Value} acknowledged ({w.Outcome}) at {SimHistory.Ms(w.DoneAt)} by {w.By?.Node.Id}, which did not fail before the read");
            }

            // Shown outside: in synchronous mode refusing what it cannot protect, only protected changes are, so they are never lost;
            // otherwise the forwarding table and peers see unprotected changes, lost only with their primary (as above).
            if (strictEffects && h.FirstPublished.TryGetValue((w.Key, w.Value), out var shown) && shown < read.StartedAt && w.Index > floor)
            {
                (floor, why) = (w.Index, $"write {w.Value} shown outside at {SimHistory.Ms(shown)}");
            }
        }

        if (floor >= 0 && (got is null || got.Index < floor))
        {
            h.Violations.Add($"key {read.Key}: read {(got is null ? "nothing" : got.Value.ToString())} at {SimHistory.Ms(read.StartedAt)} ({read.By}) lost {why}");
        }
    }
}
