namespace Redundancy.Orleans.Testing;

/// <summary>The repository and the silo built with the caller's configuration (Debug or Release).</summary>
public static class RepoPaths
{
    /// <summary>The folder holding <c>Redundancy.Orleans.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration of the running assembly (<c>bin/&lt;Configuration&gt;/net10.0</c>).</summary>
    public static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>The silo dll built with the same configuration (a project reference builds it).</summary>
    public static string SiloDll => Built("silo", "Redundancy.Orleans.Silo.dll", "The silo");

    /// <summary>The <c>redundancy</c> CLI built with the same configuration.</summary>
    public static string CliDll => Built("cli", "redundancy.dll", "The CLI");

    /// <summary>The standalone dashboard built with the same configuration.</summary>
    public static string DashboardDll => Built("dashboard", "Redundancy.Orleans.Dashboard.dll", "The dashboard");

    private static string Built(string project, string dll, string what)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{what} is not built at {path}; build the solution first.", path);
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
