using EnergyMonitor.Analytics.Indicators;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Scorecard;

/// <summary>Scores institutions for a year from the daily rollups (the year so far when it is not over).</summary>
public sealed class InstitutionScores(SiteModel site, YearIndicators years)
{
    public async Task<IReadOnlyList<ScoreResult>> ScoreAsync(ScoreScheme scheme, int year, IReadOnlyDictionary<string, ScoreInput> inputs, string? institutionId, CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        var endOfYear = RollupPeriods.Local(new DateTime(year + 1, 1, 1), zone);
        var results = new List<ScoreResult>();
        foreach (var institution in site.Institutions.Where(i => institutionId is null || i.Id == institutionId))
        {
            var y = await years.ForAsync(institution, year, cancellationToken).ConfigureAwait(false);
            var result = ScoreCalculator.Score(scheme, institution, y.Indicators, inputs.GetValueOrDefault(institution.Id) ?? ScoreInput.Empty);
            if (y.Through < endOfYear)
            {
                result = result with { Notes = [$"{year} is not over: scored on 1 January to {TimeZoneInfo.ConvertTime(y.Through, zone):yyyy-MM-dd}", .. result.Notes] };
            }

            if (y.CoveredDays < y.DaysCounted * 0.9)
            {
                result = result with { Notes = [.. result.Notes, $"rollups cover {y.CoveredDays} of {y.DaysCounted:0} days of {year}: the indicators understate the year"] };
            }

            results.Add(result);
        }

        return results;
    }
}
