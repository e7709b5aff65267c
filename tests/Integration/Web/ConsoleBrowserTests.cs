using Microsoft.Playwright;

namespace EnergyMonitor.Integration.Tests.Web;

/// <summary>
/// The web console in a real browser (Debian's chromium, headless, driven by Playwright): each page loads without
/// console errors, its charts are drawn, an operator acknowledges an alert, and the pages fit a phone. A
/// screenshot of each page is kept under artifacts/console beside the test binaries.
/// </summary>
[Collection("service")]
public sealed partial class ConsoleBrowserTests(ServiceFixture service) : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly List<string> _errors = [];
    private readonly List<string> _dialogs = [];

    public static string Artifacts { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "console");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            return;
        }

        Directory.CreateDirectory(Artifacts);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    // A page has arrived when its HTML is parsed; what the test then reads it waits for by itself (a locator, a drawn
    // canvas). Waiting for the load event as well failed twice in five CI runs on 2026-12-07 after 30 s on this
    // 2-core machine, with the page already there ("NetworkIdle event fired" in Playwright's own log).
    private static readonly PageWaitForURLOptions Arrived = new() { WaitUntil = WaitUntilState.DOMContentLoaded };
    private static readonly PageGotoOptions Opened = new() { WaitUntil = WaitUntilState.DOMContentLoaded };

    private async Task<IPage> SignedInAsync(ViewportSize viewport, ConsoleAccount account)
    {
        Assert.SkipWhen(_browser is null, $"{Chromium} is not installed (scripts/test.sh installs Debian's chromium)");
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = service.BaseAddress.ToString(), ViewportSize = viewport, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => _errors.Add($"{page.Url}: {error}");
        page.Dialog += async (_, dialog) =>
        {
            _dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        await page.GotoAsync("/login", Opened);
        await page.FillAsync("#name", account.Name);
        await page.FillAsync("#password", account.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/", Arrived);
        return page;
    }

    private static async Task<int> DrawnPointsAsync(IPage page, string chart)
    {
        var element = page.Locator($"[data-chart='{chart}']");
        await element.Locator("canvas").WaitForAsync();
        return int.Parse(await element.GetAttributeAsync("data-drawn") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task An_officer_walks_the_console_on_an_office_screen()
    {
        var page = await SignedInAsync(new ViewportSize { Width = 1366, Height = 768 }, ServiceFixture.Officer);

        // Overview: the month against last year, drawn; the buildings; the open alerts.
        Assert.StartsWith("总览", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await DrawnPointsAsync(page, "overview-daily") > 20);
        Assert.Equal(4, await page.Locator("#buildings tbody tr").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "overview.png"), FullPage = true });

        // A building: its name from site.yaml shown as text, never run; its charts and meters.
        await page.Locator("a[href^='/buildings/admin-main']").First.ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/buildings/admin-main", Arrived);
        Assert.Equal(ServiceFixture.HostileName, await page.Locator("h1").InnerTextAsync());
        Assert.True(await DrawnPointsAsync(page, "building-daily") >= 28);
        Assert.True(await DrawnPointsAsync(page, "building-hourly") >= 24);
        Assert.Equal(8, await page.Locator("#meters tbody tr").CountAsync());
        Assert.True(await page.Locator("#items tbody tr").CountAsync() >= 3);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "building.png"), FullPage = true });

        // Alerts: acknowledge the first open one; it stays listed, acknowledged.
        await page.GotoAsync("/alerts", Opened);
        var row = page.Locator("#alerts tbody tr:has(button)").First;
        var id = await row.GetAttributeAsync("data-alert");
        await row.Locator("button").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/alerts", Arrived);
        Assert.Equal("已确认", await page.Locator($"#alerts tbody tr[data-alert='{id}'] td.state").InnerTextAsync());
        Assert.Equal(0, await page.Locator($"#alerts tbody tr[data-alert='{id}'] button").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "alerts.png"), FullPage = true });

        // Reports: the archive, with downloads that work.
        await page.GotoAsync("/reports", Opened);
        Assert.True(await page.Locator("#reports tbody tr").CountAsync() >= 2);
        Assert.Equal(["报告期", "范围", "格式", "生成时间", "大小", ""], await page.Locator("#reports thead th").AllInnerTextsAsync());
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#reports a[download]").First.ClickAsync());
        Assert.True(new FileInfo(await download.PathAsync()).Length > 1000);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "reports.png"), FullPage = true });

        // English on request.
        await page.GotoAsync("/?lang=en", Opened);
        Assert.StartsWith("Overview", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);

        Assert.Empty(_errors);
        Assert.Empty(_dialogs);
    }

    [Fact]
    public async Task A_viewer_on_a_phone_sees_every_page_fit_and_no_acknowledge_button()
    {
        var page = await SignedInAsync(new ViewportSize { Width = 390, Height = 844 }, ServiceFixture.Viewer);
        foreach (var (path, name) in new[] { ("/", "overview-phone"), ("/buildings/admin-main", "building-phone"), ("/alerts", "alerts-phone"), ("/reports", "reports-phone") })
        {
            await page.GotoAsync(path, Opened);

            // The width is measured with the stylesheet applied and the font in.
            await page.WaitForFunctionAsync("() => document.styleSheets.length > 0 && document.fonts.status === 'loaded'");
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 1, $"{path} is {overflow} px wider than the phone");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });
        }

        await page.GotoAsync("/alerts", Opened);
        Assert.Equal(0, await page.Locator("#alerts button").CountAsync());
        Assert.Empty(_errors);
    }
}
