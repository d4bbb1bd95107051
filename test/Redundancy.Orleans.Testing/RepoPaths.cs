namespace Redundancy.Orleans.Testing;

/// <summary>The repository and the silo built with the caller's configuration (Debug or Release).</summary>
public static class RepoPaths
{
    /// <summary>The folder holding <c>Redundancy.Orleans.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration of the running assembly (<c>bin/&lt;Configuration&gt;/net10.0</c>).</summary>
    public static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>The silo dll built with the same configuration (a project reference builds it).</summary>
    public static string SiloDll
    {
        get
        {
            var path = Path.Combine(Root, "silo", "bin", Configuration, "net10.0", "Redundancy.Orleans.Silo.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The silo is not built at {path}; build the solution first.", path);
        }
    }

    /// <summary>The <c>redundancy</c> CLI built with the same configuration.</summary>
    public static string CliDll
    {
        get
        {
            var path = Path.Combine(Root, "cli", "bin", Configuration, "net10.0", "redundancy.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The CLI is not built at {path}; build the solution first.", path);
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
