namespace Redundancy.Orleans.Tests.Support;

/// <summary>Finds the repository and the built silo next to this test assembly's build.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The silo dll built with the same configuration as the tests (the project reference builds it).</summary>
    public static string SiloDll
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
            var path = Path.Combine(Root, "silo", "bin", configuration, "net10.0", "Redundancy.Orleans.Silo.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The silo is not built at {path}; build the solution first.", path);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Redundancy.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Redundancy.Orleans.sln above {AppContext.BaseDirectory}.");
    }
}
