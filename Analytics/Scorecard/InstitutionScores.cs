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
                var to = TimeZoneInfo.ConvertTime(y.Through, zone);
                result = result with { Notes = [new($"{year} 年尚未结束：按 1 月 1 日至 {to:yyyy-MM-dd} 评分", $"{year} is not over: scored on 1 January to {to:yyyy-MM-dd}"), .. result.Notes] };
            }

            if (y.CoveredDays < y.DaysCounted * 0.9)
            {
                result = result with { Notes = [.. result.Notes, new($"{year} 年 {y.DaysCounted:0} 天中只有 {y.CoveredDays} 天有监测数据：指标低估全年", $"rollups cover {y.CoveredDays} of {y.DaysCounted:0} days of {year}: the indicators understate the year")] };
            }

            results.Add(result);
        }

        return results;
    }
}
