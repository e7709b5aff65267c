using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Indicators;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Scorecard;

/// <summary>Scores institutions for a year from the daily rollups (the year so far when it is not over).</summary>
public sealed class InstitutionScores(SiteModel site, IConsumptionStore rollups, CoefficientCatalog catalog, TimeProvider time)
{
    public async Task<IReadOnlyList<ScoreResult>> ScoreAsync(ScoreScheme scheme, int year, IReadOnlyDictionary<string, ScoreInput> inputs, string? institutionId, CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        var endOfYear = RollupPeriods.Local(new DateTime(year + 1, 1, 1), zone);
        var today = RollupPeriods.Start(RollupPeriod.Day, time.GetUtcNow(), zone);
        var through = endOfYear < today ? endOfYear : today;
        var results = new List<ScoreResult>();
        foreach (var institution in site.Institutions.Where(i => institutionId is null || i.Id == institutionId))
        {
            var firstYear = Math.Min(year - 1, institution.Targets?.BaseYear ?? year - 1);
            var series = EnergyKinds.Consumed.Select(k => SeriesGroups.Kind(SeriesScope.Institution, institution.Id, k)).ToList();
            var daily = await rollups.RollupsAsync(series, RollupPeriod.Day, RollupPeriods.Local(new DateTime(firstYear, 1, 1), zone), through, cancellationToken).ConfigureAwait(false);
            var indicators = IndicatorCalculator.Compute(site, institution, through, daily, catalog);
            var result = ScoreCalculator.Score(scheme, institution, indicators, inputs.GetValueOrDefault(institution.Id) ?? ScoreInput.Empty);
            if (through < endOfYear)
            {
                result = result with { Notes = [$"{year} is not over: scored on 1 January to {TimeZoneInfo.ConvertTime(through, zone):yyyy-MM-dd}", .. result.Notes] };
            }

            var covered = daily.Where(r => r.Start >= RollupPeriods.Local(new DateTime(year, 1, 1), zone)).Select(r => r.Start).Distinct().Count();
            var days = (through - RollupPeriods.Local(new DateTime(year, 1, 1), zone)).TotalDays;
            if (covered < days * 0.9)
            {
                result = result with { Notes = [.. result.Notes, $"rollups cover {covered} of {days:0} days of {year}: the indicators understate the year"] };
            }

            results.Add(result);
        }

        return results;
    }
}
