using System.Text;
using EnergyMonitor.Analytics.Quotas;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Reports.Submission;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EnergyMonitor.Reports.Jobs;

/// <summary>Where the January draft goes, and the quotas its review places institutions against.</summary>
public sealed record SubmissionJobOptions(string Directory, IReadOnlyList<EnergyQuota> Quotas);

/// <summary>
/// Drafts last year's statistical submission in January (the 10th at 03:00 by default; it is due by 31 March): builds and
/// reviews every institution's forms. With no error it writes the forms; otherwise a review file listing what blocks
/// them, for the officer to fix or explain before running <c>energymonitor submit</c>.
/// </summary>
[DisallowConcurrentExecution]
/// <summary>A year's draft: the review's findings, and the files written (the review, and the forms when nothing blocks them).</summary>
public sealed record SubmissionDraft(IReadOnlyList<ReviewFinding> Findings, IReadOnlyList<string> Files)
{
    public bool Exported => Files.Count > 1;
}

public sealed class AnnualSubmissionJob(SubmissionReviewer reviewer, IExplanationStore explanations, SiteModel site, SubmissionJobOptions options, TimeProvider time, ILogger<AnnualSubmissionJob> logger) : IJob
{
    public static readonly JobKey Key = new("annual-submission", "reports");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await DraftAsync(TimeZoneInfo.ConvertTime(time.GetUtcNow(), site.TimeZone).Year - 1, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Reviews the year with the explanations entered in the console and, over them, those of <paramref name="file"/>; writes the review, and the forms when nothing blocks them.</summary>
    /// <param name="file">The officer's reasons by institution and finding field (the file <c>submit --explanations</c> reads), or none.</param>
    public async Task<SubmissionDraft> DraftAsync(int year, (string Name, IReadOnlyDictionary<string, Dictionary<string, string>> Reasons)? file, CancellationToken cancellationToken)
    {
        var stored = await explanations.ListAsync(year, cancellationToken).ConfigureAwait(false);
        var reviewed = await reviewer.ReviewAsync(year, file is { } given ? SubmissionReviewer.Merge(stored, given.Reasons, year, given.Name, time.GetUtcNow()) : stored, null, cancellationToken).ConfigureAwait(false);
        var submissions = reviewed.Submissions;
        var findings = reviewed.Remaining.ToList();

        var directory = Path.Combine(options.Directory, year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        var name = Path.Combine(directory, $"submission-{site.Region.Code}-{year}");
        var review = new StringBuilder($"{year} 年公共机构能源资源消费统计审核（{InstitutionSubmission.CurrentEdition} 版）\n");
        foreach (var f in findings)
        {
            review.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{(f.Level == FindingLevel.Error ? "错误" : "提示")} {f.Institution} {f.Field} = {f.Value}：{f.Rule}。处理：{f.Fix}");
        }

        await File.WriteAllTextAsync(name + "-review.txt", review.ToString(), cancellationToken).ConfigureAwait(false);
        if (findings.Any(f => f.Level == FindingLevel.Error))
        {
            logger.LogWarning("Submission draft for {Year}: {Errors} review errors block it; see {File}", year, findings.Count(f => f.Level == FindingLevel.Error), name + "-review.txt");
            return new SubmissionDraft(findings, [name + "-review.txt"]);
        }

        var summary = SubmissionExports.Summarise(site.Region.Code, year, submissions);
        await File.WriteAllTextAsync(name + ".json", SubmissionExports.ToJson(submissions, summary), cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(name + ".csv", SubmissionExports.Csv(submissions), cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(name + ".xlsx", SubmissionExports.Xlsx(submissions, summary), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Submission draft for {Year}: {Institutions} institutions, {Kgce:N0} kgce, written to {Directory}", year, submissions.Count, summary.TotalKgce, directory);
        return new SubmissionDraft(findings, [name + "-review.txt", name + ".json", name + ".csv", name + ".xlsx"]);
    }
}
