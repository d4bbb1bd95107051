using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Redundancy.Orleans.Management;
using Redundancy.Orleans.Processes;
using static Redundancy.Orleans.ManagementApi.ManagementResults;
using static Redundancy.Orleans.ManagementApi.Statuses;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>Any redundant process, through its management extension: status, crash (fault injection), release.</summary>
internal static class ProcessEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/processes/{name}", (string name, HttpContext context) => CallProcess<IRedundantProcess, ProcessStatus>(context, name, p => p.GetStatus()))
            .Describe<ProcessStatus>("Processes", "GetProcess", "One process's status", BadRequest, NotFound);
        api.MapPost("/processes/{name}/crash", async (string name, string? poison, HttpContext context) =>
                !bool.TryParse(poison ?? "false", out var poisoned)
                    ? Problem(BadRequest, "Invalid input", $"Query 'poison' must be 'true' or 'false' (got '{poison}').")
                    : await CallProcess<IRedundantProcess, ProcessCrashed>(context, name, async p =>
                    {
                        await p.Crash(poisoned);
                        return new ProcessCrashed { Process = name, Crashed = true, Poison = poisoned };
                    }))
            .Describe<ProcessCrashed>("Faults", "CrashProcess", "Fault injection: crash a process (poison=true also poisons its replicated state)", BadRequest, NotFound);
        api.MapPost("/processes/{name}/release", async (string name, string? rebuild, HttpContext context) =>
                !bool.TryParse(rebuild ?? "false", out var rebuilding)
                    ? Problem(BadRequest, "Invalid input", $"Query 'rebuild' must be 'true' or 'false' (got '{Shorten(rebuild!)}').")
                    : await CallProcess<IRedundantProcess, ProcessReleased>(context, name, async p =>
                    {
                        await p.Release(rebuilding);
                        return new ProcessReleased { Process = name, Released = true, Rebuild = rebuilding };
                    }))
            .Describe<ProcessReleased>("Processes", "ReleaseProcess",
                "Release a quarantined or unavailable process: it restarts and restores from its replicas, or with rebuild=true discards them and rebuilds from its forwarding table and peers", BadRequest, NotFound, Conflict);
    }
}
