using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Hosting;

/// <summary>Who this silo is in the chassis: published as silo metadata.</summary>
public sealed record CardIdentity
{
    /// <summary>Creates and validates a card identity.</summary>
    /// <exception cref="ArgumentException">A field is invalid; the message names it and its value.</exception>
    public CardIdentity(string cardId, string role, int? slot = null, string version = "1.0.0")
    {
        if (!Configuration.ProcessNames.IsValid(cardId))
        {
            throw new ArgumentException($"Card id '{cardId}' is invalid: {Configuration.ProcessNames.Rule}.", nameof(cardId));
        }

        if (!CardRoles.IsKnown(role))
        {
            throw new ArgumentException($"Card role '{role}' is invalid: use '{CardRoles.Line}', '{CardRoles.Spare}' or '{CardRoles.Control}'.", nameof(role));
        }

        if (role == CardRoles.Line && slot is null or < 1)
        {
            throw new ArgumentException($"Card '{cardId}' is a line card and needs a slot of 1 or more (got {slot?.ToString() ?? "none"}).", nameof(slot));
        }

        if (role != CardRoles.Line && slot is not null)
        {
            throw new ArgumentException($"Card '{cardId}' has role '{role}' and must not have a slot (got {slot}).", nameof(slot));
        }

        CardId = cardId;
        Role = role;
        Slot = slot;
        Version = string.IsNullOrWhiteSpace(version) ? "1.0.0" : version;
    }

    /// <summary>Card id.</summary>
    public string CardId { get; }

    /// <summary>Role.</summary>
    public string Role { get; }

    /// <summary>Slot for a line card.</summary>
    public int? Slot { get; }

    /// <summary>Software version.</summary>
    public string Version { get; }

    /// <summary>
    /// The hot-state schema versions this build reads (U1), published so that every card writes the newest
    /// schema all cards of the chassis can read. Null: the build does not version its state.
    /// </summary>
    public (int Min, int Max)? StateSchema
    {
        get => _stateSchema;
        init
        {
            if (value is { } v && (v.Min < 1 || v.Max < v.Min))
            {
                throw new ArgumentException($"State schema range {v.Min}-{v.Max} is invalid: use 1 <= min <= max.", nameof(StateSchema));
            }

            _stateSchema = value;
        }
    }

    private readonly (int Min, int Max)? _stateSchema;

    /// <summary>The card's Prometheus scrape URL, published so that operators find every card's metrics.</summary>
    public string? MetricsUrl { get; init; }

    /// <summary>
    /// What errors call the card id: the setting it came from (for example <c>Chassis:CardId</c>), so that a refusal names
    /// what the operator has to change. Default <c>Card id</c>.
    /// </summary>
    public string IdSource { get; init; } = "Card id";

    internal Dictionary<string, string> ToMetadata()
    {
        var metadata = new Dictionary<string, string>
        {
            [CardMetadataKeys.CardId] = CardId,
            [CardMetadataKeys.Role] = Role,
            [CardMetadataKeys.ProcessId] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [CardMetadataKeys.Version] = Version,
        };
        if (StateSchema is { } schema)
        {
            metadata[CardMetadataKeys.StateSchema] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{schema.Min}-{schema.Max}");
        }

        if (MetricsUrl is { } metrics)
        {
            metadata[CardMetadataKeys.MetricsUrl] = metrics;
        }

        if (Slot is { } slot)
        {
            metadata[CardMetadataKeys.Slot] = slot.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return metadata;
    }
}
