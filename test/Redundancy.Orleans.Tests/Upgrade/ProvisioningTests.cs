using Redundancy.Orleans.Client.Upgrade;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Upgrade;

[Trait("Category", TestCategories.Unit)]
public sealed class ProvisioningTests
{
    [Fact]
    public void Expand_QuotesValues_SoACardIdCannotInjectShell() =>
        Assert.Equal("docker compose up -d 'card-1'\\''; rm -rf /' --version '2.0.0'",
            CommandTemplateProvisioner.Expand("docker compose up -d {card} --version {version}", "card-1'; rm -rf /", "2.0.0"));

    [Fact]
    public async Task Start_CommandSucceeds_RunsItWithCardAndVersion()
    {
        var file = Path.Combine(Path.GetTempPath(), $"provision-{Guid.NewGuid():N}");
        var provisioner = new CommandTemplateProvisioner($"echo {{card}} {{version}} > {file}", "true {card}");

        await provisioner.StartCardAsync("card-2", "2.0.0", CancellationToken.None);

        Assert.Equal("card-2 2.0.0", (await File.ReadAllTextAsync(file)).Trim());
        File.Delete(file);
    }

    [Fact]
    public async Task Stop_CommandFails_ThrowsWithExitCodeAndOutput()
    {
        var provisioner = new CommandTemplateProvisioner("true {card}", "echo no such container {card} >&2; exit 3");

        var error = await Assert.ThrowsAsync<UpgradeException>(() => provisioner.StopCardAsync("card-9", CancellationToken.None));

        Assert.Equal(UpgradeErrorKind.Provisioning, error.Kind);
        Assert.Contains("exit code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("no such container card-9", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "true {card}")]
    [InlineData("docker start", "true {card}")]
    [InlineData("true {card}", "  ")]
    public void Create_TemplateWithoutCard_Refuses(string start, string stop) =>
        Assert.Contains("{card}", Assert.Throws<ArgumentException>(() => new CommandTemplateProvisioner(start, stop)).Message, StringComparison.Ordinal);
}
