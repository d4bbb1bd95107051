using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Management;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>
/// Prometheus HTTP service discovery (<c>http_sd_configs</c>): every live card's metrics endpoint, read from the cards'
/// published metadata, so that Prometheus follows cards that join, leave or are replaced (the embedded chassis starts
/// its cards on free ports). Format: a JSON array of <c>{"targets": ["host:port"], "labels": {...}}</c>.
/// </summary>
internal static class MetricsTargets
{
    public static IEnumerable<MetricsTarget> From(IEnumerable<CardInfo> cards) =>
        from card in cards
        where card.Alive && Uri.TryCreate(card.MetricsUrl, UriKind.Absolute, out _)
        let url = new Uri(card.MetricsUrl!)
        select new MetricsTarget
        {
            Targets = [url.Authority],
            Labels = new Dictionary<string, string>
            {
                ["__scheme__"] = url.Scheme,
                ["__metrics_path__"] = url.AbsolutePath,
                ["redundancy_card"] = card.CardId,
                ["redundancy_card_start_role"] = card.StartRole ?? card.Role,
            },
        };
}
