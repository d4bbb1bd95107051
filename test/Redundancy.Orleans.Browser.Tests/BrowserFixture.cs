using Microsoft.Playwright;
using Xunit;

namespace Redundancy.Orleans.Browser.Tests;

/// <summary>One headless Debian chromium for every browser test (a launch costs about 2 s here).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium; Playwright must never download a browser of its own.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Why the browser tests cannot run here, or null when Debian's chromium is installed.</summary>
    public static string? Missing { get; } = File.Exists(ChromiumPath)
        ? null
        : $"{ChromiumPath} is missing: install the Debian package 'chromium' (sudo apt-get install -y chromium, or run scripts/test.sh, which does).";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The shared browser; a test that runs without chromium (under CI=true) fails here, saying what to install.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException(Missing ?? "The browser did not start.");

    public async Task InitializeAsync()
    {
        if (Missing is not null)
        {
            return; // the tests skip (BrowserFact), or under CI=true fail through Browser with the same message
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // --no-sandbox: required as root. No network but loopback. Playwright gives the browser a fresh profile.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>
/// A browser test: skipped where Debian's chromium is not installed, except in CI (CI=true), where a missing chromium
/// is a failure — scripts/test.sh installs it, so these tests always run there (as the Redis and compose tests do).
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (BrowserFixture.Missing is { } missing && Environment.GetEnvironmentVariable("CI") is not ("true" or "1"))
        {
            Skip = missing;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
