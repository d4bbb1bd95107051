using Redundancy.Orleans.Client;

namespace Redundancy.Orleans.Monitoring.ChassisView;

/// <summary>Operator actions the dashboard can ask for (only when enabled and authorised).</summary>
public interface IChassisActions
{
    /// <summary>Crashes a process (fault injection, M6).</summary>
    Task CrashProcessAsync(string process, CancellationToken ct);

    /// <summary>Kills a card's OS process (<c>SIGKILL</c>).</summary>
    Task KillCardAsync(string card, CancellationToken ct);

    /// <summary>Starts a replacement card, which joins as a spare; returns its id.</summary>
    Task<string> AddCardAsync(CancellationToken ct);
}

/// <summary>
/// Actions through the management API, because the process that started the card processes (the
/// embedded chassis) is the one that can kill them.
/// </summary>
internal sealed class ManagementApiActions(Uri managementUrl, string? managementToken) : IChassisActions, IDisposable
{
    private readonly ChassisClient _client = new(managementUrl, managementToken);

    public Task CrashProcessAsync(string process, CancellationToken ct) => _client.CrashAsync(process, ct: ct);

    public Task KillCardAsync(string card, CancellationToken ct) => _client.KillCardAsync(card, ct);

    public Task<string> AddCardAsync(CancellationToken ct) => _client.AddCardAsync(ct);

    public void Dispose() => _client.Dispose();
}
