namespace Redundancy.Orleans.Bench.Harness;

/// <summary>The repository and the silo built with the benchmark's configuration.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SiloDll
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            var path = Path.Combine(Root, "silo", "bin", configuration, "net10.0", "Redundancy.Orleans.Silo.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The silo is not built at {path}.", path);
        }
    }

    public static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

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
