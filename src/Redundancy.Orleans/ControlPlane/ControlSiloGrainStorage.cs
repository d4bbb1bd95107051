using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Redundancy.Orleans.ControlPlane;

/// <summary>
/// <see cref="IGrainStorage"/> over <see cref="IControlStoreGrain"/>: grain state kept in the control silo's memory.
/// For the embedded chassis, whose control silo is the membership primary: losing it ends the chassis anyway.
/// </summary>
internal sealed class ControlSiloGrainStorage(IGrainFactory grains, IGrainStorageSerializer serializer, IActivatorProvider activators) : IGrainStorage
{
    private const int Partitions = 8;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var stored = await Partition(key).Read(key);
        grainState.State = stored is null ? activators.GetActivator<T>().Create() : serializer.Deserialize<T>(stored.Data);
        grainState.ETag = stored?.ETag;
        grainState.RecordExists = stored is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        grainState.ETag = await Partition(key).Write(key, serializer.Serialize(grainState.State).ToArray(), grainState.ETag);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        await Partition(key).Clear(key, grainState.ETag);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = activators.GetActivator<T>().Create();
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";

    private IControlStoreGrain Partition(string key) =>
        grains.GetGrain<IControlStoreGrain>((long)(StableHash.ComputeHash(key) % Partitions));
}
