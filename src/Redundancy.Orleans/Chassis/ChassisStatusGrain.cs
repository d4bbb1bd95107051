using Orleans.Concurrency;
using Redundancy.Orleans.Cards;

namespace Redundancy.Orleans.Chassis;

/// <summary>Answers <see cref="IChassisStatusGrain"/> on whichever card the call lands (no state of its own).</summary>
[StatelessWorker]
internal sealed class ChassisStatusGrain(ChassisStatusReader reader) : Grain, IChassisStatusGrain
{
    public Task<ChassisStatus> GetStatus() => reader.ReadAsync();
}
