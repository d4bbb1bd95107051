using Redundancy.Orleans.Client.Upgrade;

namespace Redundancy.Orleans.Cli;

/// <summary>upgrade plan | start | resume | status | commit | rollback.</summary>
internal static partial class Cli
{
    private static async Task<int> UpgradeAsync(CommandContext c, CancellationToken ct)
    {
        var verb = c.Args.Word(1, "upgrade command (plan, start, resume, status, commit, rollback)");
        c.Args.NoMoreWords(2);
        var orchestrator = new UpgradeOrchestrator(c.Client, Provisioner(c)) { Progress = c.Progress };
        switch (verb)
        {
            case "plan":
                var target = Target(c);
                var plan = await orchestrator.PlanAsync(target, ct);
                if (c.Json)
                {
                    c.WriteJson(plan.Select(s => s.ToString()).ToList());
                }
                else
                {
                    c.Out.WriteLine($"Rolling upgrade to {target}:");
                    for (var i = 0; i < plan.Count; i++)
                    {
                        c.Out.WriteLine($"  {i + 1}. {plan[i]}");
                    }
                }

                return plan[^1] is UpgradeAction.Blocked ? ExitCodes.Failed : ExitCodes.Ok;
            case "start":
                var settings = new CampaignSettings
                {
                    AutoCommit = c.Args.Has("commit"),
                    FallbackTimeout = c.Args.Seconds("fallback") ?? new CampaignSettings().FallbackTimeout,
                    GateTimeout = c.Args.Seconds("gate-timeout") ?? new CampaignSettings().GateTimeout,
                    CardTimeout = c.Args.Seconds("card-timeout") ?? new CampaignSettings().CardTimeout,
                };
                return Outcome(c, await orchestrator.StartAsync(Target(c), settings, ct));
            case "resume":
                return Outcome(c, await orchestrator.ResumeAsync(ct));
            case "commit":
                return Outcome(c, await orchestrator.CommitAsync(ct));
            case "rollback":
                return Outcome(c, await orchestrator.RollbackAsync(c.Args.Get("reason") ?? "operator asked", ct));
            case "status":
                var campaign = await orchestrator.GetAsync(ct) ?? throw new UpgradeException(UpgradeErrorKind.NoCampaign, "No upgrade campaign was ever started on this chassis.");
                Outcome(c, campaign);
                return ExitCodes.Ok;
            default:
                throw new UsageException($"Unknown upgrade command '{verb}': use plan, start, resume, status, commit or rollback.");
        }
    }

    private static string Target(CommandContext c) =>
        c.Args.Get("to") ?? throw new UsageException("Say which version to upgrade to: --to <version>.");

    private static ICardProvisioner Provisioner(CommandContext c)
    {
        var (start, stop) = (c.Args.Get("start-template"), c.Args.Get("stop-template"));
        if (start is null && stop is null)
        {
            return new ChassisApiProvisioner(c.Client);
        }

        try
        {
            return new CommandTemplateProvisioner(start ?? "", stop ?? "");
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message + " Give both --start-template and --stop-template.");
        }
    }

    private static int Outcome(CommandContext c, UpgradeCampaign campaign)
    {
        if (c.Json)
        {
            c.WriteJson(campaign);
        }
        else
        {
            c.Out.WriteLine($"campaign {campaign.Id}: {campaign.OriginalVersion} -> {campaign.TargetVersion}, {campaign.Phase}");
            foreach (var step in campaign.Steps)
            {
                c.Out.WriteLine($"  {step.At:HH:mm:ss} {step.Phase,-16} {step.Action} ({step.Ms:0} ms)");
            }

            if (campaign.RollbackReason is { } why)
            {
                c.Out.WriteLine($"  rolled back because: {why}");
            }
        }

        return campaign.Phase is CampaignPhase.RolledBack or CampaignPhase.RollingBack ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
