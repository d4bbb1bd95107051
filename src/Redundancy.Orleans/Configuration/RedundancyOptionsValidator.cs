using Microsoft.Extensions.Options;

namespace Redundancy.Orleans.Configuration;

/// <summary>Validates <see cref="RedundancyOptions"/> at start-up with messages that name the field and value.</summary>
internal sealed class RedundancyOptionsValidator : IValidateOptions<RedundancyOptions>
{
    public ValidateOptionsResult Validate(string? name, RedundancyOptions options)
    {
        var errors = Collect(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static List<string> Collect(RedundancyOptions o)
    {
        var errors = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }

        const string S = RedundancyOptions.SectionName;
        Check(o.ReplicaCount is >= 1 and <= 8, $"{S}:ReplicaCount must be 1..8 (got {o.ReplicaCount}).");
        Check(Enum.IsDefined(o.Mode), $"{S}:Mode must be Synchronous or Periodic (got {o.Mode}).");
        Check(o.MaxConcurrentRestores is >= 1 and <= 1000, $"{S}:MaxConcurrentRestores must be 1..1000 (got {o.MaxConcurrentRestores}).");
        Check(o.FlushInterval >= TimeSpan.FromMilliseconds(1) && o.FlushInterval <= TimeSpan.FromHours(1), $"{S}:FlushInterval must be 1 ms..1 h (got {o.FlushInterval}).");
        CheckPositive(o.ResyncInterval, nameof(o.ResyncInterval));
        CheckPositive(o.RestoreTimeout, nameof(o.RestoreTimeout));
        Check(o.SnapshotChunkBytes is >= Replication.SnapshotChunks.MinChunkBytes and <= Replication.SnapshotChunks.MaxChunkBytes,
            $"{S}:SnapshotChunkBytes must be {Replication.SnapshotChunks.MinChunkBytes}..{Replication.SnapshotChunks.MaxChunkBytes} (got {o.SnapshotChunkBytes}).");
        CheckPositive(o.AuditTimeout, nameof(o.AuditTimeout));
        CheckPositive(o.RestoreAuditTimeout, nameof(o.RestoreAuditTimeout));
        CheckPositive(o.RestartWindow, nameof(o.RestartWindow));
        CheckPositive(o.KeepAliveInterval, nameof(o.KeepAliveInterval));
        CheckPositive(o.PlacementWaitTimeout, nameof(o.PlacementWaitTimeout));
        Check(o.RestoreAuditTimeout <= o.AuditTimeout, $"{S}:RestoreAuditTimeout ({o.RestoreAuditTimeout}) must not be longer than {S}:AuditTimeout ({o.AuditTimeout}).");
        Check(o.KeepAliveInterval < o.RestartWindow, $"{S}:KeepAliveInterval ({o.KeepAliveInterval}) must be shorter than {S}:RestartWindow ({o.RestartWindow}).");
        Check(o.MaxRestarts is >= 0 and <= 1000, $"{S}:MaxRestarts must be 0..1000 (got {o.MaxRestarts}).");
        Check(o.MinInSyncReplicas is null || (o.MinInSyncReplicas >= 1 && o.MinInSyncReplicas <= o.ReplicaCount),
            $"{S}:MinInSyncReplicas must be 1..ReplicaCount ({o.ReplicaCount}) (got {o.MinInSyncReplicas}).");
        Check(Enum.IsDefined(o.Durability), $"{S}:Durability must be RefuseUnprotected or AcceptUnprotected (got {o.Durability}).");
        Check(o.ControlPlaneReplicas is >= 1 and <= 8, $"{S}:ControlPlaneReplicas must be 1..8 (got {o.ControlPlaneReplicas}).");
        CheckPositive(o.ReplicaAckTimeout, nameof(o.ReplicaAckTimeout));
        CheckPositive(o.ReprotectWait, nameof(o.ReprotectWait));
        CheckPositive(o.RestoreWait, nameof(o.RestoreWait));
        CheckPositive(o.RestoreRetryInterval, nameof(o.RestoreRetryInterval));
        Check(o.QuarantineDuration >= TimeSpan.FromSeconds(1), $"{S}:QuarantineDuration must be at least 1 s (got {o.QuarantineDuration}).");
        Check(o.RestartBackoff >= TimeSpan.Zero && o.RestartBackoff <= TimeSpan.FromSeconds(5), $"{S}:RestartBackoff must be 0..5 s (got {o.RestartBackoff}).");
        Check(o.EventRetention is >= 1_000 and <= 10_000_000, $"{S}:EventRetention must be 1000..10000000 (got {o.EventRetention}).");
        Check(o.AuditRetention is >= 10 and <= 100_000, $"{S}:AuditRetention must be 10..100000 (got {o.AuditRetention}).");

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < o.Processes.Count; i++)
        {
            var p = o.Processes[i];
            var at = $"{S}:Processes:{i}";
            if (!ProcessNames.IsValid(p.Name))
            {
                errors.Add($"{at}:Name '{p.Name}' is invalid: {ProcessNames.Rule}.");
            }
            else if (p.Name == Chassis.IChassisManager.Key)
            {
                errors.Add($"{at}:Name '{p.Name}' is reserved for the chassis manager.");
            }
            else if (!names.Add(p.Name))
            {
                errors.Add($"{at}:Name '{p.Name}' is a duplicate process name.");
            }

            Check(p.Slot >= 1, $"{at}:Slot must be 1 or more (got {p.Slot}) for process '{p.Name}'.");
            Check(!string.IsNullOrWhiteSpace(p.Kind), $"{at}:Kind must not be empty for process '{p.Name}'.");
            Check(p.RestorePriority is null or (>= 0 and <= 1000), $"{at}:RestorePriority must be 0..1000 (got {p.RestorePriority}) for process '{p.Name}'.");
            Check(p.ReplicaCount is null or (>= 0 and <= 8), $"{at}:ReplicaCount must be 0..8 (got {p.ReplicaCount}) for process '{p.Name}'.");
            Check(p.Mode is null || Enum.IsDefined(p.Mode.Value), $"{at}:Mode must be Synchronous or Periodic (got {p.Mode}) for process '{p.Name}'.");
            Check(p.Durability is null || Enum.IsDefined(p.Durability.Value), $"{at}:Durability must be RefuseUnprotected or AcceptUnprotected (got {p.Durability}) for process '{p.Name}'.");
            var k = p.ReplicaCount ?? o.ReplicaCount;
            Check(p.MinInSyncReplicas is null || (p.MinInSyncReplicas >= 1 && p.MinInSyncReplicas <= k),
                $"{at}:MinInSyncReplicas must be 1..{k} (its replica count) (got {p.MinInSyncReplicas}) for process '{p.Name}'.");
        }

        for (var i = 0; i < o.Processes.Count; i++)
        {
            foreach (var peer in o.Processes[i].Peers)
            {
                Check(names.Contains(peer), $"{S}:Processes:{i}:Peers names unknown process '{peer}'.");
                Check(peer != o.Processes[i].Name, $"{S}:Processes:{i}:Peers: process '{peer}' cannot peer with itself.");
            }
        }

        return errors;

        void CheckPositive(TimeSpan value, string field) =>
            Check(value > TimeSpan.Zero && value <= TimeSpan.FromHours(1), $"{S}:{field} must be more than 0 and at most 1 h (got {value}).");
    }
}
