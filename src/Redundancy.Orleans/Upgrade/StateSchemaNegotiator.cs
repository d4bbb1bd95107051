using System.Globalization;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Hosting;

namespace Redundancy.Orleans.Upgrade;

/// <summary>
/// Which hot-state schema this card writes (U1): the newest one that every live card of the chassis can read,
/// as routers negotiate message versions during an in-service upgrade. While old and new builds run side by
/// side the new build keeps writing the old schema, so replicas on old cards — and a rollback — can read it;
/// once every card reads the new schema, it is written. Never below this build's own oldest schema: a build
/// that cannot write what the others read is refused by upgrade verification before it serves.
/// </summary>
public sealed class StateSchemaNegotiator(CardDirectory cards, CardIdentity self)
{
    /// <summary>The schema to write now; this build's newest when it does not version its state.</summary>
    public int WriteVersion()
    {
        if (self.StateSchema is not { } own)
        {
            return 1;
        }

        var write = own.Max;
        foreach (var (card, _) in cards.GetCards())
        {
            if (card.IsLiveCard() && TryParse(card.StateSchema, out _, out var max))
            {
                write = Math.Min(write, max);
            }
        }

        return Math.Max(write, own.Min);
    }

    /// <summary>Parses a <c>min-max</c> schema range as published in card metadata.</summary>
    public static bool TryParse(string? range, out int min, out int max)
    {
        min = max = 0;
        var parts = range?.Split('-');
        return parts is { Length: 2 }
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out min)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out max)
            && min >= 1 && max >= min;
    }
}
