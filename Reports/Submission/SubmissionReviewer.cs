using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Reports.Jobs;

namespace EnergyMonitor.Reports.Submission;

/// <summary>A review finding with what the officer said of it: an explained finding no longer blocks the export.</summary>
/// <param name="Explanation">The reason given, or null.</param>
/// <param name="Explainable">Whether a reason can lift it (a change or a value out of range can be explained; a missing code cannot).</param>
/// <param name="Explained">Whether the reason lifts the finding (the review passes it); a reason for a finding no explanation can lift is kept but lifts nothing.</param>
public sealed record ReviewedFinding(ReviewFinding Finding, bool Explainable, SubmissionExplanation? Explanation, bool Explained)
{
    public bool Blocks => Finding.Level == FindingLevel.Error && !Explained;
}

public sealed record ReviewedInstitution(Institution Institution, InstitutionSubmission Submission, IReadOnlyList<ReviewedFinding> Findings);

/// <summary>A year's submission as reviewed: every institution's forms and findings, and whether it may be exported.</summary>
public sealed record ReviewedYear(int Year, string RegionCode, IReadOnlyList<ReviewedInstitution> Institutions)
{
    public int Errors => Institutions.Sum(i => i.Findings.Count(f => f.Blocks));

    public int Warnings => Institutions.Sum(i => i.Findings.Count(f => f.Finding.Level == FindingLevel.Warning));

    public bool Clean => Errors == 0;

    public IReadOnlyList<InstitutionSubmission> Submissions => [.. Institutions.Select(i => i.Submission)];

    public RegionSummary Summary => SubmissionExports.Summarise(RegionCode, Year, Submissions);

    /// <summary>The findings still in the way, as <see cref="SubmissionReview.Check"/> gives them.</summary>
    public IEnumerable<ReviewFinding> Remaining => Institutions.SelectMany(i => i.Findings.Where(f => !f.Explained).Select(f => f.Finding));
}

/// <summary>
/// Builds and reviews a year's submission (审核) with the officer's explanations, for the console, the command and
/// the January draft alike: each institution is reviewed without them and with them, and a finding the second review
/// no longer raises is the one its explanation lifted.
/// </summary>
public sealed class SubmissionReviewer(SiteModel site, SubmissionBuilder builder, SubmissionJobOptions options)
{
    public async Task<ReviewedYear> ReviewAsync(int year, IReadOnlyList<SubmissionExplanation> explanations, string? institutionId, CancellationToken cancellationToken)
    {
        var institutions = new List<ReviewedInstitution>();
        foreach (var institution in site.Institutions.Where(i => institutionId is null || i.Id == institutionId))
        {
            var submission = await builder.BuildAsync(institution, year, cancellationToken).ConfigureAwait(false);
            var tieOut = await builder.TieOutAsync(institution, year, cancellationToken).ConfigureAwait(false);
            var mine = explanations.Where(e => e.Institution == institution.Id).GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
            var all = SubmissionReview.Check(submission, institution, new ReviewOptions(), new Dictionary<string, string>(), options.Quotas, tieOut);
            var remaining = SubmissionReview.Check(submission, institution, new ReviewOptions(), mine.ToDictionary(p => p.Key, p => p.Value.Reason, StringComparer.Ordinal), options.Quotas, tieOut);

            // Which findings a reason could lift at all: those the review drops when every field has one.
            var everyField = all.Select(f => f.Field).Distinct(StringComparer.Ordinal).ToDictionary(f => f, _ => "·", StringComparer.Ordinal);
            var unliftable = SubmissionReview.Check(submission, institution, new ReviewOptions(), everyField, options.Quotas, tieOut);
            static bool Among(IEnumerable<ReviewFinding> findings, ReviewFinding f) => findings.Any(r => r.Field == f.Field && r.Level == f.Level);
            institutions.Add(new ReviewedInstitution(institution, submission,
                [.. all.Select(f => new ReviewedFinding(f, !Among(unliftable, f), mine.GetValueOrDefault(f.Field), !Among(remaining, f)))]));
        }

        return new ReviewedYear(year, site.Region.Code, institutions);
    }

    /// <summary>
    /// The explanations the review reads: those entered in the console for the year, and over them those of a file
    /// (<c>submit --explanations</c>), which win for the fields they name.
    /// </summary>
    public static IReadOnlyList<SubmissionExplanation> Merge(IReadOnlyList<SubmissionExplanation> stored, IReadOnlyDictionary<string, Dictionary<string, string>> file, int year, string fileName, DateTimeOffset at)
    {
        var fromFile = file.SelectMany(i => i.Value.Select(f => new SubmissionExplanation(year, i.Key, f.Key, f.Value, fileName, at))).ToList();
        return [.. stored.Where(s => !fromFile.Any(f => f.Institution == s.Institution && f.Field == s.Field)), .. fromFile];
    }
}
