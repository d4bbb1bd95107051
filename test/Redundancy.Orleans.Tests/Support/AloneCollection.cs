using Xunit;

namespace Redundancy.Orleans.Tests.Support;

/// <summary>
/// Tests that start a whole chassis of their own and are timing sensitive: they run after every parallel collection,
/// one at a time, without the shared embedded chassis of <c>EmbeddedChassisCollection</c> running beside them on the
/// same two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "real processes, alone";
}
