using Redundancy.Orleans.Hosting;
using StackExchange.Redis;
using Redundancy.Orleans.Configuration;

namespace Redundancy.Orleans.Silo.Configuration;

/// <summary>
/// Checks that need more than one section or the outside world, run before the silo starts: replicas the slots
/// can hold, processes in existing slots, a Redis that answers (certificates: <c>ChassisTlsFiles.Load</c>).
/// Every message names the key and the value.
/// </summary>
internal static class StartupChecks
{
    /// <summary>How long a start waits for Redis before refusing.</summary>
    public static readonly TimeSpan RedisTimeout = TimeSpan.FromSeconds(5);

    private const string S = ChassisOptions.SectionName;
    private const string R = RedundancyOptions.SectionName;

    public static IEnumerable<string> Layout(ChassisOptions chassis, IConfiguration configuration)
    {
        var redundancy = configuration.GetSection(R).Get<RedundancyOptions>() ?? new RedundancyOptions();

        // Replicas go on distinct line cards other than the primary's (M3): k replicas need k + 1 slots.
        if (redundancy.ReplicaCount > chassis.Slots - 1)
        {
            yield return $"{R}:ReplicaCount {redundancy.ReplicaCount} needs {redundancy.ReplicaCount + 1} line cards (each replica on a distinct card other than the primary's), but {S}:Slots is {chassis.Slots}.";
        }

        for (var i = 0; i < redundancy.Processes.Count; i++)
        {
            var p = redundancy.Processes[i];
            if (p.Slot > chassis.Slots)
            {
                yield return $"{R}:Processes:{i}:Slot must be 1..{chassis.Slots} ({S}:Slots) (got {p.Slot}) for process '{p.Name}'.";
            }

            if (p.ReplicaCount is { } k && k > chassis.Slots - 1)
            {
                yield return $"{R}:Processes:{i}:ReplicaCount {k} needs {k + 1} line cards, but {S}:Slots is {chassis.Slots} (process '{p.Name}').";
            }
        }
    }

    /// <summary>Connects to each configured Redis and pings it, within <see cref="RedisTimeout"/>.</summary>
    public static async Task<List<string>> RedisAsync(ChassisOptions o)
    {
        var errors = new List<string>();
        if (o.Membership == "redis")
        {
            await CheckRedisAsync("RedisConnectionString", o.RedisConnectionString!, errors);
        }

        if (o.BaselineRedisConnectionString is { } baseline)
        {
            await CheckRedisAsync("BaselineRedisConnectionString", baseline, errors);
        }

        return errors;
    }

    private static async Task CheckRedisAsync(string key, string connectionString, List<string> errors)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException e)
        {
            errors.Add($"{S}:{key} '{connectionString}' is not a valid Redis connection string: {e.Message}");
            return;
        }

        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.ConnectTimeout = (int)RedisTimeout.TotalMilliseconds;
        try
        {
            using var redis = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(RedisTimeout + TimeSpan.FromSeconds(1));
            await redis.GetDatabase().PingAsync().WaitAsync(RedisTimeout);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or System.Net.Sockets.SocketException)
        {
            // StackExchange.Redis appends advice about abortConnect that does not apply here: keep the first sentence.
            var reason = e.Message.Split('\n')[0].Split(". ")[0].Trim().TrimEnd('.');
            errors.Add($"{S}:{key} '{connectionString}' is unreachable (waited up to {RedisTimeout.TotalSeconds:0} s): {reason}.");
        }
    }
}
