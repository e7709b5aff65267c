using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Reports.Submission;

namespace EnergyMonitor.Web.Queries;

/// <summary>
/// A year's submission as the officer reviews it, for the console's submission page and the API alike: every
/// institution's findings with the explanations entered for them; and the one write, an explanation saved or
/// cleared, each in the audit log.
/// </summary>
public sealed class SubmissionQuery(SiteModel site, SubmissionReviewer reviewer, IExplanationStore explanations, IAuditLog audit, TimeProvider time)
{
    /// <summary>Longest reason kept: a paragraph, as the bureau reads it.</summary>
    public const int MaxReason = 500;

    public async Task<ReviewedYear> GetAsync(int year, CancellationToken cancellationToken) =>
        await reviewer.ReviewAsync(year, await explanations.ListAsync(year, cancellationToken).ConfigureAwait(false), null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Saves (or, with an empty reason, clears) the explanation of one finding of the year's review; the problem in
    /// both languages when the finding is not one a reason can lift or the reason is not text.
    /// </summary>
    public async Task<LocalizedText?> ExplainAsync(string actor, int year, string institution, string field, string reason, CancellationToken cancellationToken)
    {
        reason = reason.Trim();
        if (reason.Length > MaxReason || reason.Any(c => char.IsControl(c) && c is not '\n' and not '\r'))
        {
            return new LocalizedText($"说明须为至多 {MaxReason} 个字符的文字", $"a reason of at most {MaxReason} characters of text");
        }

        var reviewed = await GetAsync(year, cancellationToken).ConfigureAwait(false);
        var finding = reviewed.Institutions.FirstOrDefault(i => i.Institution.Id == institution)?.Findings.FirstOrDefault(f => f.Finding.Field == field && f.Explainable);
        if (finding is null)
        {
            return new LocalizedText($"{year} 年审核中没有可说明的发现：{institution} {field}", $"no finding of the {year} review that a reason can lift: {institution} {field}");
        }

        var now = time.GetUtcNow();
        var subject = $"{year}/{institution}/{field}";
        if (reason.Length == 0)
        {
            if (await explanations.RemoveAsync(year, institution, field, cancellationToken).ConfigureAwait(false))
            {
                await audit.AppendAsync(new AuditEntry(0, now, actor, AuditActions.ExplanationCleared, subject, finding.Explanation?.Reason ?? ""), cancellationToken).ConfigureAwait(false);
            }

            return null;
        }

        await explanations.SaveAsync(new SubmissionExplanation(year, institution, field, reason, actor, now), cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEntry(0, now, actor, AuditActions.ExplanationSaved, subject, reason), cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>The export in one format, and its file name; null when the review blocks it.</summary>
    public async Task<(byte[] Bytes, string ContentType, string FileName)?> ExportAsync(string actor, int year, string format, CancellationToken cancellationToken)
    {
        var reviewed = await GetAsync(year, cancellationToken).ConfigureAwait(false);
        if (!reviewed.Clean)
        {
            return null;
        }

        var name = $"submission-{site.Region.Code}-{year}";
        (byte[], string, string) file = format switch
        {
            "json" => (System.Text.Encoding.UTF8.GetBytes(SubmissionExports.ToJson(reviewed.Submissions, reviewed.Summary)), "application/json", name + ".json"),
            "csv" => (SubmissionExports.Csv(reviewed.Submissions), "text/csv; charset=utf-8", name + ".csv"),
            _ => (SubmissionExports.Xlsx(reviewed.Submissions, reviewed.Summary), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx"),
        };
        await audit.AppendAsync(new AuditEntry(0, time.GetUtcNow(), actor, AuditActions.SubmissionExported, $"{year}", file.Item3), cancellationToken).ConfigureAwait(false);
        return file;
    }

    public static IReadOnlyList<string> Formats { get; } = ["json", "csv", "xlsx"];
}
