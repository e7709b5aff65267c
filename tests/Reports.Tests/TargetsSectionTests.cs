using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Costs;
using EnergyMonitor.Analytics.Quotas;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Analytics.Scorecard;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using EnergyMonitor.Reports.Charts;
using EnergyMonitor.Reports.Model;
using EnergyMonitor.Reports.Rendering;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Reports.Tests;

/// <summary>
/// The targets, quota and scorecard section, on daily rollups written straight into a real embedded store: an
/// institution that used 1,000 kWh a day in its base year 2025 and 900 in 2026, on 10,000 m².
/// </summary>
public sealed class TargetsSectionTests : IAsyncLifetime
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"em-targets-{Guid.NewGuid():N}.db");
    private SqliteDatabase _database = null!;

    // Base 2025, target 2027, −5 % per m² by 2027: the steady path asks (0.95)^(1/2) − 1 = −2.53 % by 2026.
    private static readonly Institution Institution = new("i1", "区机关事务管理中心", "11320117MB0123456D", "01",
        [.. new[] { 2025, 2026 }.Select(y => new YearFacts(y, new Quantity<SquareMetre>(10_000), 400, 380, 4))],
        new Targets(2025, 2027, AnnualEnergyQuota: new Quantity<Kgce>(50_000)),
        [new Building("b1", "320117A001", "主楼", new Quantity<SquareMetre>(10_000), ClimateZone.HotSummerColdWinter, 'B', [])]);

    private static readonly SiteModel Site = new("测试区", new Region("370102", "历下区", Zone), [], [Institution]);

    private static readonly ScoreScheme Scheme = new("测试考核", "test",
        [new ScoreGrade(90, "优秀", "excellent"), new ScoreGrade(0, "未完成", "failed")],
        [new ScoreItem("area", "单位建筑面积能耗年度目标", 60, new ScoreRule.Target(IndicatorId.EnergyPerArea, "annual")), new ScoreItem("manual", "制度建设", 40, new ScoreRule.Manual())],
        []);

    // A quota on energy per m² for Shandong: 40 kgce/m² guide, 45 baseline, 50 constraint.
    private static readonly EnergyQuota Quota = new("q", "测试定额", "test", "S", ["37"], [], IndicatorId.EnergyPerArea, 50, 45, 40);

    public async ValueTask InitializeAsync()
    {
        _database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _path }, CancellationToken.None);
        var store = new SqliteConsumptionStore(_database);
        foreach (var (year, perDay) in new[] { (2025, 1000.0), (2026, 900.0) })
        {
            var from = RollupPeriods.Local(new DateTime(year, 1, 1), Zone);
            var to = RollupPeriods.Local(new DateTime(year + 1, 1, 1), Zone);
            var rows = new List<RollupRow>();
            for (var d = from; d < to; d = d.AddDays(1))
            {
                rows.Add(new RollupRow("institution/i1/electricity", RollupPeriod.Day, d, perDay, 0, 0, IntervalFlags.None, 96));
            }

            await store.ReplaceRollupsAsync("institution/i1/electricity", RollupPeriod.Day, from, to, rows, CancellationToken.None);
        }
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }

        return ValueTask.CompletedTask;
    }

    private async Task<ConsumptionReport> BuildAsync(ReportPeriod period, DateTimeOffset now, Language language = default)
    {
        var builder = new ReportBuilder(Site, new SqliteConsumptionStore(_database), new SqliteAlertStore(_database), CoefficientCatalog.Defaults, HolidayCalendar.WeekendsOnly,
            TariffBook.Empty, new FixedTime(now), scorecard: new ScorecardSetup(Scheme, new Dictionary<int, IReadOnlyDictionary<string, ScoreInput>>
            {
                [2026] = new Dictionary<string, ScoreInput> { ["i1"] = new(new Dictionary<string, double> { ["manual"] = 30 }, null, new Dictionary<string, bool>()) },
            }, [Quota]));
        return await builder.BuildAsync(new ReportScope(SeriesScope.Institution, "i1"), period, language, CancellationToken.None);
    }

    [Fact]
    public async Task A_year_ten_percent_below_the_base_meets_the_years_step_and_is_scored_and_placed_against_the_quota()
    {
        var report = await BuildAsync(new ReportPeriod(PeriodKind.Year, 2026, 0), new DateTimeOffset(2027, 1, 10, 9, 0, 0, TimeSpan.FromHours(8)));

        var t = report.Targets!;
        var area = t.Targets.Single(r => r.Unit == "kgce/m²" && r.Indicator == "单位建筑面积能耗");
        var kgcePerKwh = CoefficientCatalog.Defaults.For(2026, "370102").Kgce(EnergyKind.Electricity)!.PerUnit;
        var baseKgce = 365 * 1000 * CoefficientCatalog.Defaults.For(2025, "370102").Kgce(EnergyKind.Electricity)!.PerUnit;
        Assert.Equal(baseKgce / 10_000, area.BaseValue, 9);
        Assert.Equal(365 * 900 * kgcePerKwh / 10_000, area.CurrentValue, 9);
        Assert.Equal(Math.Sqrt(0.95) - 1, area.RequiredThisYear, 9);
        Assert.Equal(-0.05, area.RequiredByTargetYear, 9);
        Assert.Equal(1.0, area.Coverage, 9);
        Assert.Equal(area.CurrentValue / area.BaseValue - 1 <= area.RequiredThisYear, area.MetThisYear);

        // The total quota: 2026's kgce against 50,000, the whole year elapsed.
        var quota = Assert.Single(t.QuotaUse);
        Assert.Equal(365 * 900 * kgcePerKwh, quota.UsedKgce, 6);
        Assert.Equal(1.0, quota.ShareOfYearElapsed, 9);

        // Scored: the target item full (60) when met, and the officer's 30 of 40.
        var score = Assert.Single(t.Scores);
        Assert.Equal((area.MetThisYear == true ? 60 : 0) + 30, score.Score, 9);

        // Placed against the Shandong quota by its energy per m².
        var band = Assert.Single(t.QuotaBands);
        Assert.Equal(area.CurrentValue, band.Value, 9);

        // The trajectory: 0 in 2025, and 2026's achieved change on the chart.
        Assert.Equal([2025, 2026], t.Trajectory.Select(p => p.Year));
        Assert.Equal(area.CurrentValue / area.BaseValue - 1, t.Trajectory[1].Achieved!.Value, 9);
    }

    [Fact]
    public async Task A_year_the_rollups_barely_cover_is_not_judged_and_says_so()
    {
        // Rollups for 2027 do not exist: on 1 March 2027, the two months are uncovered.
        var report = await BuildAsync(new ReportPeriod(PeriodKind.Month, 2027, 2), new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.FromHours(8)));

        Assert.All(report.Targets!.Targets, r => Assert.Null(r.MetThisYear));
        Assert.Contains(report.Notes, n => n.Contains("不作判定", StringComparison.Ordinal));
        Assert.Empty(report.Targets.Scores); // a month's report carries no annual score
        var view = new ReportView(report);
        Assert.All(view.Targets, row => Assert.Equal("数据不足", row[^1]));
    }

    [Fact]
    public async Task The_section_renders_in_every_format_and_the_xlsx_carries_the_charts_as_pictures()
    {
        var report = await BuildAsync(new ReportPeriod(PeriodKind.Year, 2026, 0), new DateTimeOffset(2027, 1, 10, 9, 0, 0, TimeSpan.FromHours(8)));
        var font = ReportFonts.Shipped;
        var charts = new ReportCharts(font, Language.Chinese).All(report);
        var targets = Assert.Single(charts, c => c.Name == "targets.png");
        using (var bitmap = SkiaSharp.SKBitmap.Decode(targets.Png))
        {
            Assert.Equal(targets.Width, bitmap.Width);
        }

        var view = new ReportView(report);
        var html = await HtmlReport.RenderAsync(view, charts, font);
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        Assert.NotNull(document.QuerySelector("table#targets"));
        Assert.Equal(view.Targets.Count, document.QuerySelectorAll("table#targets tbody tr").Length);
        Assert.Contains(document.QuerySelectorAll("h2"), h => h.TextContent.StartsWith("十、年度考核评价", StringComparison.Ordinal));

        using var xlsx = new System.IO.Compression.ZipArchive(new MemoryStream(TableExports.Xlsx(view, charts)));
        Assert.Equal(charts.Count, xlsx.Entries.Count(e => e.FullName.StartsWith("xl/media/", StringComparison.Ordinal) && e.FullName.EndsWith(".png", StringComparison.Ordinal)));
        var media = xlsx.Entries.Where(e => e.FullName.StartsWith("xl/media/", StringComparison.Ordinal)).Select(e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(m.ToArray()));
        }).ToHashSet();
        Assert.All(charts, c => Assert.Contains(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(c.Png)), media));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
