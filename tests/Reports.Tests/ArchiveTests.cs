using System.Security.Cryptography;
using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Reports.Charts;
using EnergyMonitor.Reports.Jobs;
using EnergyMonitor.Reports.Model;
using EnergyMonitor.Reports.Submission;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyMonitor.Reports.Tests;

/// <summary>The scheduled monthly reports land in the archive folder with an index whose SHA-256 matches each file.</summary>
[Collection("report")]
public sealed class ArchiveTests(ReportFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-archive-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_monthly_job_archives_the_region_and_each_institution_and_a_rerun_replaces_rather_than_duplicates()
    {
        var archive = new SqliteReportArchive(fixture.Database);
        var builder = new ReportBuilder(fixture.Site, new SqliteConsumptionStore(fixture.Database), new SqliteAlertStore(fixture.Database), CoefficientCatalog.Defaults, HolidayCalendar.WeekendsOnly, ReportFixture.Tariffs, TimeProvider.System);
        var job = new MonthlyReportJob(builder, archive, fixture.Site, new ReportJobOptions(_dir, ["html", "pdf"], Language.Chinese, Institutions: true, ReportFonts.Shipped), TimeProvider.System, NullLogger<MonthlyReportJob>.Instance);

        Assert.Equal(4, await job.RunAsync(ReportFixture.October, Ct)); // region and one institution, two formats each
        Assert.Equal(4, await job.RunAsync(ReportFixture.October, Ct));

        var index = (await archive.ListAsync(Ct)).Where(r => r.Path.StartsWith(_dir, StringComparison.Ordinal)).ToList();
        Assert.Equal(4, index.Count);
        Assert.Equal(["institution:i1", "region"], index.Select(r => r.Scope).Distinct().Order());
        foreach (var entry in index)
        {
            var bytes = await File.ReadAllBytesAsync(entry.Path, Ct);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), entry.Sha256);
            Assert.Equal(bytes.LongLength, entry.Bytes);
            Assert.Equal("2026-10", entry.Period);
            Assert.StartsWith(Path.Combine(_dir, "2026-10"), entry.Path, StringComparison.Ordinal);
        }

        Assert.Equal(5, Directory.GetFiles(Path.Combine(_dir, "2026-10", "report-region-2026-10-charts"), "*.png").Length);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

/// <summary>The January draft: the forms when the review passes, only the review file when it does not.</summary>
[Collection("report")]
public sealed class AnnualSubmissionJobTests(ReportFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-draft-").FullName;

    [Fact]
    public async Task A_draft_that_fails_review_writes_only_the_review_and_one_that_passes_writes_the_forms()
    {
        var builder = new Submission.SubmissionBuilder(fixture.Site, new SqliteConsumptionStore(fixture.Database), CoefficientCatalog.Defaults, ReportFixture.Tariffs);
        var options = new SubmissionJobOptions(_dir, []);
        var explanations = new Storage.Relational.ExplanationStore(Storage.Relational.SqlConnections.Of(fixture.Database));
        var job = new AnnualSubmissionJob(new Submission.SubmissionReviewer(fixture.Site, builder, options), explanations, fixture.Site, options, TimeProvider.System, NullLogger<AnnualSubmissionJob>.Instance);

        // 2026 of the fixture: 20 kWh a quarter at most for 400 people is under 50 kgce a person, which needs an explanation.
        var blocked = await job.DraftAsync(2026, null, TestContext.Current.CancellationToken);

        var review = Assert.Single(blocked.Files);
        Assert.False(blocked.Exported);
        Assert.EndsWith("-review.txt", review, StringComparison.Ordinal);
        // The fixture's 20 kWh a quarter gives 0.78 kgce/m² and 19.5 kgce a person: both below their ranges.
        var errors = blocked.Findings.Where(f => f.Level == FindingLevel.Error).ToList();
        Assert.Equal(["指标.人均综合能耗", "指标.单位建筑面积能耗"], errors.Select(f => f.Field).Order(StringComparer.Ordinal));
        Assert.Contains("指标.人均综合能耗", await File.ReadAllTextAsync(review, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "2026", "submission-320117-2026.json")));

        // The officer's reason for each field lifts its error: the forms are written.
        var reasons = new Dictionary<string, Dictionary<string, string>> { ["i1"] = errors.ToDictionary(f => f.Field, _ => "试点建筑，仅计量部分用能") };
        var passed = await job.DraftAsync(2026, ("explanations-2026.yaml", reasons), TestContext.Current.CancellationToken);

        Assert.True(passed.Exported);
        Assert.DoesNotContain(passed.Findings, f => f.Level == FindingLevel.Error);
        Assert.True(File.Exists(Path.Combine(_dir, "2026", "submission-320117-2026.json")));
        Assert.True(new FileInfo(Path.Combine(_dir, "2026", "submission-320117-2026.xlsx")).Length > 1000);

        // The same reasons entered in the console instead: one lifts its own finding only, both lift both.
        var at = new DateTimeOffset(2027, 1, 12, 9, 0, 0, TimeSpan.FromHours(8));
        try
        {
            await explanations.SaveAsync(new Core.Ports.SubmissionExplanation(2026, "i1", "指标.人均综合能耗", "用能人数含在校学生", "officer1", at), TestContext.Current.CancellationToken);
            var one = await job.DraftAsync(2026, null, TestContext.Current.CancellationToken);
            Assert.Equal(["指标.单位建筑面积能耗"], one.Findings.Where(f => f.Level == FindingLevel.Error).Select(f => f.Field));

            await explanations.SaveAsync(new Core.Ports.SubmissionExplanation(2026, "i1", "指标.单位建筑面积能耗", "试点建筑", "officer1", at), TestContext.Current.CancellationToken);
            Assert.True((await job.DraftAsync(2026, null, TestContext.Current.CancellationToken)).Exported);

            // A file's reason wins over the stored one for its field, and an empty one there lifts nothing.
            var emptied = new Dictionary<string, Dictionary<string, string>> { ["i1"] = new() { ["指标.单位建筑面积能耗"] = " " } };
            Assert.False((await job.DraftAsync(2026, ("explanations.yaml", emptied), TestContext.Current.CancellationToken)).Exported);
        }
        finally
        {
            await explanations.RemoveAsync(2026, "i1", "指标.人均综合能耗", TestContext.Current.CancellationToken);
            await explanations.RemoveAsync(2026, "i1", "指标.单位建筑面积能耗", TestContext.Current.CancellationToken);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
