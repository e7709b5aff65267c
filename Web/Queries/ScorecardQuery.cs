using EnergyMonitor.Analytics.Scorecard;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Web.Queries;

/// <summary>An institution's 考核评价 for a year beside the year before: the draft compared with what it was scored last time.</summary>
public sealed record ScorecardRow(Institution Institution, ScoreResult This, ScoreResult? Last);

public sealed record Scorecards(int Year, string Scheme, string Source, IReadOnlyList<ScorecardRow> Rows);

/// <summary>
/// The annual assessment (考核评价) by the configured scheme (scorecard.yaml) with the officer's entries
/// (scorecard-YEAR.yaml), each institution's year and the year before, placed against its quotas. For the console's
/// scorecard pages and the API alike; null when no scheme is configured.
/// </summary>
public sealed class ScorecardQuery(SiteModel site, InstitutionScores scores, ScorecardSetup setup)
{
    public bool Configured => setup.Scheme is not null;

    public async Task<Scorecards?> GetAsync(int year, string? institutionId, CancellationToken cancellationToken)
    {
        if (setup.Scheme is not { } scheme)
        {
            return null;
        }

        var current = await scores.ScoreAsync(scheme, year, setup.InputsFor(year), institutionId, cancellationToken).ConfigureAwait(false);
        var previous = await scores.ScoreAsync(scheme, year - 1, setup.InputsFor(year - 1), institutionId, cancellationToken).ConfigureAwait(false);
        var rows = current.Select(r => new ScorecardRow(
            site.Institutions.First(i => i.Id == r.Institution),
            r with { Quotas = ScorecardSetup.Place(r, site, setup.Quotas) },
            previous.FirstOrDefault(p => p.Institution == r.Institution))).ToList();
        return new Scorecards(year, scheme.Name, scheme.Source, rows);
    }
}
