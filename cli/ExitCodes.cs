namespace Redundancy.Orleans.Cli;

/// <summary>Process exit codes, documented at the end of every help page (<see cref="Text"/>) and in docs/cli.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Unreachable = 3;
    public const int Conflict = 4;
    public const int NotFound = 5;
    public const int Unauthorized = 6;

    /// <summary>The help pages' exit-code section.</summary>
    public const string Text = """
        Exit codes:
          0  ok
          1  failed, rolled back, or not confirmed
          2  bad command line or input (nothing was changed)
          3  chassis unreachable or unavailable (retry)
          4  conflict (campaign running, card busy, process not serving)
          5  unknown process, card, slot or campaign
          6  missing or wrong API token (--token or REDUNDANCY_API_TOKEN)
        """;
}
