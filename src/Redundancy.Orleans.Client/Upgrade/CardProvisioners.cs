using System.Diagnostics;

namespace Redundancy.Orleans.Client.Upgrade;

/// <summary>
/// Starts and stops cards at a software version (U1). The orchestrator only calls it for cards that serve
/// no slot; how a card is started is the deployment's business (local processes, containers, ...).
/// </summary>
public interface ICardProvisioner
{
    /// <summary>Stops a card gracefully.</summary>
    Task StopCardAsync(string card, CancellationToken ct);

    /// <summary>Starts a card as a spare at <paramref name="version"/>.</summary>
    Task StartCardAsync(string card, string version, CancellationToken ct);
}

/// <summary>Provisioning through the embedded chassis's management API (its cards are its child processes).</summary>
public sealed class ChassisApiProvisioner(ChassisClient client) : ICardProvisioner
{
    /// <inheritdoc />
    public Task StopCardAsync(string card, CancellationToken ct) => client.StopCardAsync(card, ct);

    /// <inheritdoc />
    public Task StartCardAsync(string card, string version, CancellationToken ct) => client.StartCardAsync(card, version, ct);
}

/// <summary>
/// Provisioning by shell command templates, for Docker Compose or any other tool. Placeholders: <c>{card}</c>,
/// <c>{version}</c>. Example: start <c>REDUNDANCY_VERSION={version} docker compose up -d --no-deps {card}</c>,
/// stop <c>docker compose stop {card}</c>. A non-zero exit fails the step with the command's output.
/// </summary>
public sealed class CommandTemplateProvisioner : ICardProvisioner
{
    private readonly string _start;
    private readonly string _stop;

    /// <summary>Creates the provisioner; both templates are required.</summary>
    public CommandTemplateProvisioner(string startTemplate, string stopTemplate)
    {
        _start = Check(startTemplate, nameof(startTemplate));
        _stop = Check(stopTemplate, nameof(stopTemplate));
    }

    /// <summary>The command a template gives for a card and version (values are shell-quoted).</summary>
    public static string Expand(string template, string card, string version) =>
        template.Replace("{card}", Quote(card), StringComparison.Ordinal).Replace("{version}", Quote(version), StringComparison.Ordinal);

    /// <inheritdoc />
    public Task StopCardAsync(string card, CancellationToken ct) => RunAsync(Expand(_stop, card, ""), ct);

    /// <inheritdoc />
    public Task StartCardAsync(string card, string version, CancellationToken ct) => RunAsync(Expand(_start, card, version), ct);

    private static string Check(string template, string name) =>
        string.IsNullOrWhiteSpace(template) || !template.Contains("{card}", StringComparison.Ordinal)
            ? throw new ArgumentException($"The provisioning template '{template}' must name the card with {{card}}.", name)
            : template;

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static async Task RunAsync(string command, CancellationToken ct)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not run '{command}'.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            var text = (await output + await error).Trim();
            throw new UpgradeException(UpgradeErrorKind.Provisioning,
                $"Provisioning command failed with exit code {process.ExitCode}: {command}{(text.Length == 0 ? "" : Environment.NewLine + text[Math.Max(0, text.Length - 2000)..])}");
        }
    }
}
