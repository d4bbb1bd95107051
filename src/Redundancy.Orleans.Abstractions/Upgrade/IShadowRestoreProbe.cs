namespace Redundancy.Orleans.Upgrade;

/// <summary>
/// Verification of a build before it touches service (U1): runs on the card named by its key (an upgraded
/// spare) and restores a process's current replicated state in shadow — fetch, decode, convert, compare with
/// the primary — without taking the process over.
/// </summary>
public interface IShadowRestoreProbe : IGrainWithStringKey
{
    /// <summary>The build of the card this probe runs on.</summary>
    Task<BuildInfo> GetBuild();

    /// <summary>Restores <paramref name="process"/> in shadow on this card.</summary>
    Task<ShadowRestoreReport> Restore(string process);
}
