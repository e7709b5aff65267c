using System.Globalization;
using System.Text;
using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Integration.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace EnergyMonitor.Integration.Tests.Web;

/// <summary>
/// The officers' pages in Chromium: rankings, the scorecard, the submission (explained and exported in the browser),
/// savings, the meter tree and the energy flow, each number checked against the rollups in the database; a viewer on
/// a phone; an admin managing people. Screenshots go to artifacts/console beside the other pages'.
/// </summary>
public sealed partial class ConsoleBrowserTests
{
    private static readonly ViewportSize Office = new() { Width = 1366, Height = 768 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>
    /// Live polling goes on while the test reads: a page and the database read a moment apart may differ by the
    /// minutes between them, which over weeks of history is well under this share.
    /// </summary>
    private const double LiveTolerance = 0.005;

    private static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });

    private static double Number(string text) => double.Parse(text.Split(' ')[0].Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Σ of a series' rollups of a period from the database itself, <paramref name="from"/> to <paramref name="to"/>.</summary>
    private async Task<double> RollupSumAsync(string series, RollupPeriod period, DateTimeOffset from, DateTimeOffset to)
    {
        await using var connection = new SqliteConnection($"Data Source={service.Database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT coalesce(sum(amount), 0) FROM rollups WHERE series = $s AND period = $p AND start_ms >= $f AND start_ms < $t";
        query.Parameters.AddWithValue("$s", series);
        query.Parameters.AddWithValue("$p", (int)period);
        query.Parameters.AddWithValue("$f", from.ToUnixTimeMilliseconds());
        query.Parameters.AddWithValue("$t", to.ToUnixTimeMilliseconds());
        return Convert.ToDouble(await query.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset Local(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>An institution's kgce for 2026 to the fixture's today, from its kind rollups and the year's coefficients.</summary>
    private async Task<double> KgceAsync(string institution)
    {
        var set = CoefficientCatalog.Defaults.For(2026, "320117");
        var use = new Dictionary<EnergyKind, double>();
        foreach (var kind in EnergyKinds.Consumed)
        {
            use[kind] = await RollupSumAsync($"institution/{institution}/{EnergyKinds.ConfigName(kind)}", RollupPeriod.Day, Local(2026, 1, 1), Local(2026, 11, 24));
        }

        return EnergyConversion.Convert(use, set).Kgce.Value;
    }

    /// <summary>Every text and value of every part of a workbook: shared strings, inline strings and cell values alike.</summary>
    private static List<string> XlsxText(byte[] bytes)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        return [.. zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal))
            .SelectMany(e =>
            {
                using var stream = e.Open();
                return System.Xml.Linq.XDocument.Load(stream).Descendants().Where(x => x.Name.LocalName is "t" or "v").Select(x => x.Value).ToList();
            })];
    }

    [Fact]
    public async Task An_officer_ranks_scores_explains_and_exports_the_submission_and_reads_savings_meters_and_the_flow()
    {
        var page = await SignedInAsync(Office, ServiceFixture.Officer);
        var site = EnergyMonitor.Site.SiteConfigLoader.Load(Path.Combine(service.Directory, "site.yaml"), ServiceFixture.Now).Require();

        // Rankings: each institution's kgce/m² is its rollups converted, over its 2026 floor area, lowest first.
        await page.GotoAsync("/rankings?year=2026", Opened);
        var rows = page.Locator("#institution-ranking tbody tr");
        Assert.Equal(3, await rows.CountAsync());
        var values = new List<double>();
        foreach (var id in new[] { "lishui-admin", "lishui-no2-school", "lishui-hospital" })
        {
            var shown = Number(await page.Locator($"#institution-ranking tr[data-institution='{id}'] td.value").InnerTextAsync());
            var expected = await KgceAsync(id) / site.Institutions.Single(i => i.Id == id).FactsFor(2026)!.FloorArea.Value;
            Assert.True(Math.Abs(shown - expected) <= Math.Max(0.01, expected * LiveTolerance), $"{id}: page {shown}, rollups {expected:F3}");
            values.Add(shown);
        }

        var order = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.institution)");
        Assert.Equal(order.Select(id => values[Array.IndexOf(["lishui-admin", "lishui-no2-school", "lishui-hospital"], id)]).ToList(), values.Order().ToList());
        Assert.Equal(4, await page.Locator("#building-ranking tbody tr").CountAsync());
        Assert.Contains(ServiceFixture.HostileInstitution, await page.Locator("#institution-ranking").InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "rankings");

        // A row opens the institution: its scorecard item by item, the score the sum of the items.
        await page.Locator("#institution-ranking tr[data-institution='lishui-admin'] a").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/scorecard/lishui-admin", Arrived);
        var items = await page.Locator("#items td.score").AllInnerTextsAsync();
        Assert.True(items.Count >= 5);
        Assert.Equal(items.Sum(Number), Number((await page.Locator("#score").InnerTextAsync()).Split('/')[0]), 1);
        await ShotAsync(page, "institution");
        await page.GotoAsync("/scorecard?year=2026", Opened);
        Assert.Equal(3, await page.Locator("#scorecards tbody tr").CountAsync());
        await ShotAsync(page, "scorecard");

        // The submission: 2026 is blocked by findings only a reason lifts; the officer gives each one, and exports.
        await page.GotoAsync("/submission?year=2026", Opened);
        Assert.Equal("未通过", await page.Locator("#review-state").InnerTextAsync());
        var schoolKgce = Number((await page.Locator("section[data-institution='lishui-no2-school'] p.hint").InnerTextAsync()).Split(' ')[1]);
        Assert.True(Math.Abs(schoolKgce - await KgceAsync("lishui-no2-school")) <= Math.Max(1, schoolKgce * LiveTolerance), $"school kgce {schoolKgce}");
        await ShotAsync(page, "submission-blocked");
        var blocking = await page.Locator("tr.blocks").CountAsync();
        Assert.True(blocking >= 1);
        for (var i = 0; i < blocking; i++)
        {
            var row = page.Locator("tr.blocks").First;
            var field = await row.GetAttributeAsync("data-field");
            await row.Locator("textarea").FillAsync("监测平台 2026 年 11 月起接入，此前用量未计入：按已接入期间计算的指标偏低属实 <b>不是 HTML</b>");
            await row.Locator("button").ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/submission", Arrived);
            Assert.Equal(blocking - i - 1, await page.Locator("tr.blocks").CountAsync());
            Assert.True(await page.Locator($"tr.explained[data-field='{field}']").CountAsync() >= 1, field);
        }

        Assert.Equal("通过", await page.Locator("#review-state").InnerTextAsync());
        Assert.Contains("<b>不是 HTML</b>", await page.Locator(".reason").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(ServiceFixture.Officer.Name, await page.Locator("td.explanation .hint").First.InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "submission-explained");
        foreach (var format in new[] { "csv", "xlsx", "json" })
        {
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator($".exports a[href$='/export/{format}']").ClickAsync());
            Assert.Equal($"submission-320117-2026.{format}", download.SuggestedFilename);
            var bytes = await File.ReadAllBytesAsync(await download.PathAsync(), Ct);
            if (format == "csv")
            {
                // The school's name, a formula, is a quoted text cell: a spreadsheet shows it, never runs it.
                var csv = Encoding.UTF8.GetString(bytes);
                Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\")", csv, StringComparison.Ordinal);
                Assert.DoesNotContain(",=HYPERLINK", csv, StringComparison.Ordinal);
            }

            if (format == "xlsx")
            {
                var cells = XlsxText(bytes);
                Assert.True(cells.Contains(ServiceFixture.HostileInstitution.Insert(0, "'")), string.Join(" | ", cells.Where(c => c.Contains("HYPERLINK", StringComparison.Ordinal))));
                Assert.DoesNotContain(cells, c => c.StartsWith('=') || c.StartsWith('+') || c.StartsWith('@'));
            }
        }

        // The same explanations are what `submit` reads: the command exports the year without --explanations.
        await using (var submit = ChildProcess.EnergyMonitor(["submit", "--settings", service.Settings, "--year", "2026", "--out", Path.Combine(service.Directory, "submit-out")], service.Directory))
        {
            Assert.True(await submit.WaitForExitAsync(TimeSpan.FromSeconds(120), Ct) == 0, submit.Output);
        }

        // Savings: the fixture's 35 days are too few for a CalTRACK baseline (365), which the page says; the actual
        // use it shows is the building's electricity rollups of the reporting period.
        await page.GotoAsync("/savings/admin-main?kind=electricity&baselineFrom=2026-10-20&baselineTo=2026-11-09&reportingFrom=2026-11-10&reportingTo=2026-11-23", Opened);
        Assert.Equal(1, await page.Locator("#no-model").CountAsync());
        Assert.Contains("365", await page.Locator("ul.notes").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(14, await DrawnPointsAsync(page, "savings-daily"));
        await ShotAsync(page, "savings");
        var actual = await RollupSumAsync("building/admin-main/electricity", RollupPeriod.Day, Local(2026, 11, 10), Local(2026, 11, 24));
        var shownActual = (await page.Locator("#savings-days td:nth-child(2)").AllTextContentsAsync()).Sum(Number);
        Assert.True(Math.Abs(actual - shownActual) <= 14 * 0.05 + (actual * 1e-6), $"page {shownActual}, rollups {actual}"); // each day rounded to 0.1

        // Meters: a meter's month is its own rollups; the filter finds the offline ones.
        await page.GotoAsync("/meters", Opened);
        var meterUse = Number(await page.Locator("tr[data-meter='adm-main-total'] td:nth-child(6)").InnerTextAsync());
        var fromRollups = await RollupSumAsync("adm-main-total", RollupPeriod.Day, Local(2026, 11, 1), Local(2026, 11, 25));
        Assert.True(Math.Abs(meterUse - fromRollups) <= Math.Max(1, fromRollups * LiveTolerance), $"page {meterUse}, rollups {fromRollups}");
        Assert.True(await page.Locator("#balances tbody tr").CountAsync() >= 3);
        await ShotAsync(page, "meters");
        await page.GotoAsync("/meters?status=offline", Opened);
        Assert.All(await page.Locator("table.meter-tree tbody td .status").AllInnerTextsAsync(), s => Assert.Equal("离线", s));

        // The flow in kWh: the region's total is the region's electricity rollup for November.
        await page.GotoAsync("/flow?period=2026-11&unit=electricity", Opened);
        var total = Number(await page.Locator("#flow-total").InnerTextAsync());
        var region = await RollupSumAsync("region/320117/electricity", RollupPeriod.Day, Local(2026, 11, 1), Local(2026, 12, 1));
        Assert.True(Math.Abs(total - region) <= Math.Max(1, region * LiveTolerance), $"flow {total}, rollups {region}");
        Assert.True(await page.Locator("svg.sankey path.link").CountAsync() >= 10);
        Assert.Contains(ServiceFixture.HostileName, await page.Locator("svg.sankey").TextContentAsync() ?? "", StringComparison.Ordinal);
        await ShotAsync(page, "flow");

        Assert.Empty(_errors);
        Assert.Empty(_dialogs);

        // An operator is no admin (the browser logs the 403 it is told, so after the check above).
        var admin = await page.GotoAsync("/admin/users", Opened);
        Assert.Equal(403, admin!.Status);
    }

    [Fact]
    public async Task A_viewer_on_a_phone_reads_every_new_page_without_a_form_that_changes_anything()
    {
        var page = await SignedInAsync(Phone, ServiceFixture.Viewer);
        foreach (var (path, name) in new[]
        {
            ("/rankings?year=2026", "rankings-phone"), ("/scorecard?year=2026", "scorecard-phone"), ("/scorecard/lishui-no2-school?year=2026", "institution-phone"),
            ("/submission?year=2026", "submission-phone"), ("/savings", "savings-index-phone"), ("/savings/admin-main", "savings-phone"),
            ("/meters", "meters-phone"), ("/flow?period=2026-11", "flow-phone"),
        })
        {
            var response = await page.GotoAsync(path, Opened);
            Assert.Equal(200, response!.Status);
            await page.WaitForFunctionAsync("() => document.styleSheets.length > 0 && document.fonts.status === 'loaded'");
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 1, $"{path} is {overflow} px wider than the phone");
            Assert.Equal(0, await page.Locator("form.explain, td.actions form").CountAsync());
            await ShotAsync(page, name);
        }

        Assert.Empty(_errors);
        Assert.Empty(_dialogs);
        var users = await page.GotoAsync("/admin/users", Opened);
        Assert.Equal(403, users!.Status);
    }

    [Fact]
    public async Task An_admin_adds_a_person_who_signs_in_and_a_locked_out_person_cannot()
    {
        var page = await SignedInAsync(Office, ServiceFixture.Admin);
        await page.GotoAsync("/admin/users", Opened);
        await page.FillAsync("#add-user input[name=name]", "sun.li");
        await page.FillAsync("#add-user input[name=displayName]", "孙<script>alert(5)</script>");
        await page.SelectOptionAsync("#add-user select[name=role]", "viewer");
        await page.ClickAsync("#add-user button");
        var password = await page.Locator("#shown-password code").InnerTextAsync();
        Assert.Equal(16, password.Length);
        Assert.Contains("孙<script>alert(5)</script>", await page.Locator("#users tr[data-user='sun.li']").InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "users");

        // The new person signs in with it; five wrong passwords later, the right one no longer works.
        var person = await SignedInAsync(Office, new ConsoleAccount("sun.li", "viewer", "", password));
        Assert.Equal("/", new Uri(person.Url).AbsolutePath);
        var guesser = await _browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = service.BaseAddress.ToString(), ViewportSize = Office, Locale = "zh-CN" });
        for (var i = 0; i < 5; i++)
        {
            await guesser.GotoAsync("/login", Opened);
            await guesser.FillAsync("#name", "sun.li");
            await guesser.FillAsync("#password", $"wrong-guess-{i}");
            await guesser.ClickAsync("button[type=submit]");
            await guesser.Locator("p.error").WaitForAsync();
        }

        await guesser.GotoAsync("/login", Opened);
        await guesser.FillAsync("#name", "sun.li");
        await guesser.FillAsync("#password", password);
        await guesser.ClickAsync("button[type=submit]");
        Assert.Contains("账号已锁定", await guesser.Locator("p.error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("/login", new Uri(guesser.Url).AbsolutePath);
        await guesser.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "login-locked.png") });

        // The admin sees the lock and every change in the audit log.
        await page.GotoAsync("/admin/users", Opened);
        Assert.Contains("已锁定", await page.Locator("#users tr[data-user='sun.li']").InnerTextAsync(), StringComparison.Ordinal);
        await page.GotoAsync("/admin/audit", Opened);
        var audit = await page.Locator("#audit").InnerTextAsync();
        Assert.Contains("user.lockout", audit, StringComparison.Ordinal);
        Assert.Contains("user.add", audit, StringComparison.Ordinal);
        await ShotAsync(page, "audit");
        Assert.Empty(_dialogs);
    }
}
