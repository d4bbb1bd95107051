using Microsoft.Playwright;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Redundancy.Orleans.Browser.Tests;

/// <summary>The chassis view in a real browser against the real multi-process embedded chassis.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChassisViewBrowserTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string Token = "browser-test-token-0123456789";
    private const float Timeout = 60_000;

    [BrowserFact]
    public async Task ChassisView_KillCardFromThePage_ShowsTheFailoverAndTheProcessesReadyOnTheSpare()
    {
        await using var chassis = await EmbeddedChassisProcess.StartAsync(slots: 3, spares: 1,
            "--Chassis:RoutesPerProcess=100", "--Dashboard:ActionsEnabled=true", $"--Dashboard:Token={Token}");
        var api = chassis.Client;
        var before = await api.WaitForAsync(s => s.Processes.All(p => p.Protected), TimeSpan.FromSeconds(60), "every process protected before the fault");
        var victims = before.Processes.Where(p => p.Slot == 2).Select(p => p.Name).ToList();
        Assert.NotEmpty(victims);

        var page = await browser.Browser.NewPageAsync();
        try
        {
            await page.GotoAsync(api.BaseAddress + "chassis/");
            await WaitAsync(page, "[data-testid=live]:text('live')", "the page to receive live updates");
            await WaitAsync(page, "[data-testid=card-card-2][data-alive=true]", "card-2 shown alive");
            await WaitAsync(page, "[data-testid=card-spare-1][data-role=spare]", "spare-1 shown as the spare");
            foreach (var p in victims)
            {
                await WaitAsync(page, $"[data-testid=process-{p}][data-card=card-2][data-state=ready]", $"{p} shown ready on card-2");
            }

            // Kill the card from the page itself: the action needs the token.
            await page.FillAsync("[data-testid=token-input]", Token);
            await page.ClickAsync("[data-testid=kill-card-2]", new PageClickOptions { Timeout = Timeout });
            await WaitAsync(page, "[data-testid=action-result]:text('kill card-2: done')", "the kill action to be accepted");

            // Live, without reloading: the dead card, the completed failover with its phases, the processes on the spare.
            await WaitAsync(page, "[data-testid=card-card-2][data-alive=false]", "card-2 shown dead");
            await WaitAsync(page, "[data-kind=card-failover][data-completed=true]:has-text('card card-2 failed: slot 2 -> card spare-1')",
                "a completed failover of card-2 to spare-1 in the timeline");
            foreach (var p in victims)
            {
                await WaitAsync(page, $"[data-testid=process-{p}][data-card=spare-1][data-state=ready]", $"{p} shown ready on spare-1");
            }

            await WaitAsync(page, "[data-testid=card-spare-1][data-role=line][data-slot='2']", "spare-1 shown serving slot 2");
            var phases = await page.Locator("[data-kind=card-failover] [data-testid$=-phases]").First.InnerTextAsync();
            foreach (var phase in new[] { "detect", "place", "restore", "audit", "total" })
            {
                Assert.Contains(phase, phases);
            }

            var after = await api.GetChassisAsync();
            Assert.All(after.Processes.Where(p => victims.Contains(p.Name)), p => Assert.Equal(("spare-1", ProcessState.Ready), (p.CardId, p.State)));
        }
        finally
        {
            var path = Path.Combine(RepoPaths.Root, "test-artifacts", "chassis-view-failover.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            output.WriteLine("screenshot: " + path);
            await page.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task ChassisView_ActionsDisabled_OffersNoActionButtons()
    {
        await using var chassis = await EmbeddedChassisProcess.StartAsync(slots: 2, spares: 0, "--Chassis:RoutesPerProcess=0");
        var page = await browser.Browser.NewPageAsync();
        try
        {
            await page.GotoAsync(chassis.Client.BaseAddress + "chassis/");
            await WaitAsync(page, "[data-testid=card-card-1][data-alive=true]", "card-1 shown alive");
            Assert.Equal(0, await page.Locator("[data-testid^=kill-]").CountAsync());
            Assert.Equal(0, await page.Locator("[data-testid^=crash-]").CountAsync());
            Assert.True(await page.Locator("[data-testid=actions]").IsHiddenAsync(), "the actions bar is shown although actions are disabled");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    /// <summary>Waits for an element; a timeout says what was awaited and what the page showed.</summary>
    private static async Task WaitAsync(IPage page, string selector, string what)
    {
        try
        {
            await page.Locator(selector).First.WaitForAsync(new LocatorWaitForOptions { Timeout = Timeout });
        }
        catch (TimeoutException e)
        {
            var summary = await page.Locator("[data-testid=summary]").InnerTextAsync();
            var timeline = await page.Locator("[data-testid=timeline]").InnerTextAsync();
            throw new TimeoutException($"Timed out after {Timeout / 1000:0} s waiting for {what} ({selector}). Page: {summary}\nTimeline:\n{timeline}", e);
        }
    }
}
