namespace Redundancy.Orleans.Configuration;

/// <summary>The rule for process names (grain keys), shared by configuration and the API.</summary>
public static class ProcessNames
{
    /// <summary>True for 1..64 ASCII letters, digits, '-', '_' and '.'.</summary>
    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The rule as a refusal states it (process names and card ids follow it alike).</summary>
    public const string Rule = "use 1..64 letters, digits, '-', '_' or '.'";
}
