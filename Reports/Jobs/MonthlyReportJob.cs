using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Reports.Charts;
using EnergyMonitor.Reports.Model;
using EnergyMonitor.Reports.Rendering;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EnergyMonitor.Reports.Jobs;

/// <summary>What the scheduled reports cover and where they go.</summary>
/// <param name="Directory">The archive folder; each month's files go into a sub-folder named after the month.</param>
public sealed record ReportJobOptions(string Directory, IReadOnlyList<string> Formats, Language Language, bool Institutions, CjkFont Font);

/// <summary>
/// Last month's region report, and each institution's, on the first of the month (02:00 by default): the same
/// builder and renderers as <c>energymonitor report</c>, archived with their SHA-256. Running it again for the same
/// month replaces the files and their index rows.
/// </summary>
[DisallowConcurrentExecution]
public sealed class MonthlyReportJob(ReportBuilder builder, IReportArchive archive, SiteModel site, ReportJobOptions options, TimeProvider time, ILogger<MonthlyReportJob> logger) : IJob
{
    public static readonly JobKey Key = new("monthly-report", "reports");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), site.TimeZone).DateTime);
        var last = today.AddMonths(-1);
        await RunAsync(new ReportPeriod(PeriodKind.Month, last.Year, last.Month), cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> RunAsync(ReportPeriod period, CancellationToken cancellationToken)
    {
        var font = options.Font;
        var charts = new ReportCharts(font, options.Language);
        var writer = new ReportWriter(archive, time);
        var scopes = new List<ReportScope> { ReportScope.Region(site.Region.Code) };
        if (options.Institutions)
        {
            scopes.AddRange(site.Institutions.Select(i => new ReportScope(SeriesScope.Institution, i.Id)));
        }

        var files = 0;
        foreach (var scope in scopes)
        {
            var report = await builder.BuildAsync(scope, period, options.Language, cancellationToken).ConfigureAwait(false);
            var written = await writer.WriteAsync(report, charts.All(report), font, options.Formats, Path.Combine(options.Directory, period.ToString()), cancellationToken).ConfigureAwait(false);
            files += written.Count;
            logger.LogInformation("Report {Title}: {Files} files in {Directory}", report.Title, written.Count, Path.Combine(options.Directory, period.ToString()));
        }

        return files;
    }
}
