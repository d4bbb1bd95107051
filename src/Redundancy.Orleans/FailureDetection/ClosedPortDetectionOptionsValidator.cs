using Microsoft.Extensions.Options;

namespace Redundancy.Orleans.Configuration;

/// <summary>Validates <see cref="ClosedPortDetectionOptions"/> at start-up; messages name the field and value.</summary>
internal sealed class ClosedPortDetectionOptionsValidator : IValidateOptions<ClosedPortDetectionOptions>
{
    private const string S = ClosedPortDetectionOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ClosedPortDetectionOptions options)
    {
        var errors = Collect(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static List<string> Collect(ClosedPortDetectionOptions o)
    {
        var errors = new List<string>();
        if (o.PortCheckTimeout < TimeSpan.FromMilliseconds(10) || o.PortCheckTimeout > TimeSpan.FromSeconds(30))
        {
            errors.Add($"{S}:PortCheckTimeout must be 10 ms..30 s (got {o.PortCheckTimeout}).");
        }

        if (o.WitnessTimeout < TimeSpan.FromMilliseconds(10) || o.WitnessTimeout > TimeSpan.FromSeconds(30))
        {
            errors.Add($"{S}:WitnessTimeout must be 10 ms..30 s (got {o.WitnessTimeout}).");
        }

        if (o.Witnesses is < 1 or > 8)
        {
            errors.Add($"{S}:Witnesses must be 1..8 (got {o.Witnesses}).");
        }

        if (o.Attempts is < 1 or > 10)
        {
            errors.Add($"{S}:Attempts must be 1..10 (got {o.Attempts}).");
        }

        return errors;
    }
}
