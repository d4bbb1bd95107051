namespace Redundancy.Orleans.Testing;

/// <summary>
/// The test layers, as the values of the <c>Category</c> trait every test class carries, so that one layer runs alone:
/// <c>scripts/test.sh --filter Category=Unit</c>.
/// </summary>
public static class TestCategories
{
    /// <summary>Pure logic and file checks: no silo, no process, seconds in all.</summary>
    public const string Unit = "Unit";

    /// <summary>The deterministic protocol simulator (many seeded schedules of the production protocol code).</summary>
    public const string Simulation = "Simulation";

    /// <summary>Silos in the test process (Orleans' in-process test cluster, an in-process API or dashboard host).</summary>
    public const string Cluster = "Cluster";

    /// <summary>Real processes: silos killed with signals, the CLI and tools as executables, Redis, Prometheus, compose.</summary>
    public const string MultiProcess = "MultiProcess";

    /// <summary>A real browser (Debian's chromium through Playwright) against a running chassis view.</summary>
    public const string Browser = "Browser";
}
