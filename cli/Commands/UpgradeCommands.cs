using System.CommandLine;
using Redundancy.Orleans.Cli.Output;
using Redundancy.Orleans.Client.Upgrade;

namespace Redundancy.Orleans.Cli.Commands;

/// <summary><c>upgrade plan|start|resume|status|commit|rollback</c>: rolling upgrades (U1) through the client SDK's orchestrator.</summary>
internal static class UpgradeCommands
{
    public static Command Create(Verbs verbs)
    {
        var upgrade = verbs.Group("upgrade", "Rolling upgrade of the chassis to another software version, spare first, with rollback until commit",
            "redundancy upgrade plan --to 2.0.0", "redundancy upgrade start --to 2.0.0 --fallback 300", "redundancy upgrade commit");
        var start = new Option<string?>("--start-template") { Description = "Command that starts a card at a version ({card}, {version}; run with /bin/sh) [default: the embedded chassis starts it]", HelpName = "command" };
        var stop = new Option<string?>("--stop-template") { Description = "Command that stops a card ({card})", HelpName = "command" };

        var planTo = Target();
        var plan = verbs.Verb("plan", "The steps a rolling upgrade would take from the chassis as it is", c => PlanAsync(c, c.Get(planTo)!), "redundancy upgrade plan --to 2.0.0");
        plan.Add(planTo);
        upgrade.Add(plan);

        var to = Target();
        var commit = new Option<bool>("--commit") { Description = "Commit at the end instead of waiting in WaitingForCommit" };
        var fallback = GlobalOptions.Seconds("--fallback", "Roll back by itself if not committed within this time [default: 600]");
        var gate = GlobalOptions.Seconds("--gate-timeout", "How long a health gate may take to pass [default: 60]");
        var card = GlobalOptions.Seconds("--card-timeout", "How long a card may take to start and join [default: 90]");
        var run = verbs.Verb("start", "Start a campaign and run it to WaitingForCommit (or to Committed with --commit); rolls back on a failed gate",
            c =>
            {
                var defaults = new CampaignSettings();
                var settings = new CampaignSettings
                {
                    AutoCommit = c.Get(commit),
                    FallbackTimeout = c.Get(fallback) ?? defaults.FallbackTimeout,
                    GateTimeout = c.Get(gate) ?? defaults.GateTimeout,
                    CardTimeout = c.Get(card) ?? defaults.CardTimeout,
                };
                return RunAsync(c, start, stop, $"upgrading to {c.Get(to)}", o => o.StartAsync(c.Get(to)!, settings, c.CancellationToken));
            },
            "redundancy upgrade start --to 2.0.0", "redundancy upgrade start --to 2.0.0 --commit --fallback 300",
            "redundancy upgrade start --to 2.0.0 --start-template 'REDUNDANCY_VERSION={version} docker compose up -d --no-deps {card}' --stop-template 'docker compose stop {card}'");
        foreach (var option in new Option[] { to, commit, fallback, gate, card, start, stop })
        {
            run.Add(option);
        }

        upgrade.Add(run);
        upgrade.Add(WithTemplates(verbs.Verb("resume", "Go on with a campaign whose orchestrator stopped (here or on another host)",
            c => RunAsync(c, start, stop, "resuming the campaign", o => o.ResumeAsync(c.CancellationToken)), "redundancy upgrade resume"), start, stop));
        upgrade.Add(verbs.Verb("status", "The campaign record: phase and every step",
            async c => Outcome(c, await Orchestrator(c, null, null, _ => { }).GetAsync(c.CancellationToken)
                ?? throw new UpgradeException(UpgradeErrorKind.NoCampaign, "No upgrade campaign was ever started on this chassis."), finished: false),
            "redundancy upgrade status", "redundancy upgrade status --json"));
        upgrade.Add(WithTemplates(verbs.Verb("commit", "Commit a campaign that waits for it (the old version is no longer kept)",
            c => RunAsync(c, start, stop, "committing", o => o.CommitAsync(c.CancellationToken)), "redundancy upgrade commit"), start, stop));

        var reason = new Option<string?>("--reason") { Description = "Why (goes to the campaign record and the event timeline) [default: operator asked]", HelpName = "text" };
        var rollback = verbs.Verb("rollback", "Roll back to the original version, card by card",
            c =>
            {
                c.Confirm("Roll the upgrade campaign back to its original version");
                return RunAsync(c, start, stop, "rolling back", o => o.RollbackAsync(c.Get(reason) ?? "operator asked", c.CancellationToken));
            },
            "redundancy upgrade rollback --reason 'error rate' --yes");
        rollback.Add(reason);
        upgrade.Add(WithTemplates(rollback, start, stop));
        return upgrade;
    }

    private static Option<string> Target() => new("--to") { Description = "The software version to upgrade to (see 'redundancy builds')", HelpName = "version", Required = true };

    private static Command WithTemplates(Command command, Option start, Option stop)
    {
        command.Add(start);
        command.Add(stop);
        return command;
    }

    private static async Task<int> PlanAsync(CliContext c, string target)
    {
        var plan = await Orchestrator(c, null, null, _ => { }).PlanAsync(target, c.CancellationToken);
        if (c.Json)
        {
            c.WriteJson(plan.Select(s => s.ToString()).ToList());
        }
        else
        {
            c.Console.Out.WriteLine($"Rolling upgrade to {target}:");
            for (var i = 0; i < plan.Count; i++)
            {
                c.Console.Out.WriteLine($"  {i + 1}. {plan[i]}");
            }
        }

        return plan[^1] is UpgradeAction.Blocked ? ExitCodes.Failed : ExitCodes.Ok;
    }

    private static async Task<int> RunAsync(CliContext c, Option<string?> start, Option<string?> stop, string title, Func<UpgradeOrchestrator, Task<UpgradeCampaign>> work)
    {
        var (startTemplate, stopTemplate) = (c.Get(start), c.Get(stop));
        Provisioner(c, startTemplate, stopTemplate); // a bad template is refused before anything is sent
        var campaign = await ProgressDisplay.RunAsync(c, title, progress => work(Orchestrator(c, startTemplate, stopTemplate, progress)));
        return Outcome(c, campaign, finished: true);
    }

    private static UpgradeOrchestrator Orchestrator(CliContext c, string? start, string? stop, Action<string> progress) =>
        new(c.Client, Provisioner(c, start, stop)) { Progress = progress };

    private static ICardProvisioner Provisioner(CliContext c, string? start, string? stop)
    {
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

    private static int Outcome(CliContext c, UpgradeCampaign campaign, bool finished)
    {
        if (c.Json)
        {
            c.WriteJson(campaign);
        }
        else
        {
            c.Console.Out.WriteLine($"campaign {campaign.Id}: {campaign.OriginalVersion} -> {campaign.TargetVersion}, {campaign.Phase}");
            foreach (var step in campaign.Steps)
            {
                c.Console.Out.WriteLine($"  {step.At.ToLocalTime():HH:mm:ss} {step.Phase,-16} {step.Action} ({step.Ms:0} ms)");
            }

            if (campaign.RollbackReason is { } why)
            {
                c.Console.Out.WriteLine($"  rolled back because: {why}");
            }
        }

        return finished && campaign.Phase is CampaignPhase.RolledBack or CampaignPhase.RollingBack ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
