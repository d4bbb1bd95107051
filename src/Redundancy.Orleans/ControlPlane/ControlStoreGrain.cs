using Orleans.Storage;
using Orleans.Concurrency;
using Redundancy.Orleans.Placement;

namespace Redundancy.Orleans.ControlPlane;

/// <summary>One partition of the control silo's memory store; key = partition number.</summary>
internal interface IControlStoreGrain : IGrainWithIntegerKey
{
    Task<StoredState?> Read(string key);

    /// <summary>Writes if <paramref name="etag"/> matches the stored one (null: the record must not exist); returns the new etag.</summary>
    Task<string> Write(string key, byte[] data, string? etag);

    Task Clear(string key, string? etag);
}

/// <summary>A stored record and its etag.</summary>
[GenerateSerializer, Immutable]
internal sealed record StoredState([property: Id(0)] byte[] Data, [property: Id(1)] string ETag);

/// <summary>
/// Keeps control-plane records in the control silo's memory. Unlike Orleans' memory storage it is pinned to the
/// control silo (a line card's death must not take the records with it) and checks etags strictly: a grain that
/// lost a compare-and-swap must re-read, never overwrite.
/// </summary>
[ControlSiloPlacement]
[KeepAlive]
internal sealed class ControlStoreGrain : Grain, IControlStoreGrain
{
    private readonly Dictionary<string, StoredState> _records = new(StringComparer.Ordinal);
    private long _writes;

    [ReadOnly]
    public Task<StoredState?> Read(string key) => Task.FromResult(_records.GetValueOrDefault(key));

    public Task<string> Write(string key, byte[] data, string? etag)
    {
        Check(key, etag);
        var next = $"{this.GetPrimaryKeyLong()}-{++_writes}";
        _records[key] = new StoredState(data, next);
        return Task.FromResult(next);
    }

    public Task Clear(string key, string? etag)
    {
        Check(key, etag);
        _records.Remove(key);
        return Task.CompletedTask;
    }

    private void Check(string key, string? etag)
    {
        var current = _records.GetValueOrDefault(key)?.ETag;
        if (!string.Equals(current, etag, StringComparison.Ordinal))
        {
            throw new InconsistentStateException($"Control-plane record '{key}' changed since it was read (stored etag {current ?? "none"}, given {etag ?? "none"}).", current ?? "", etag ?? "");
        }
    }
}
