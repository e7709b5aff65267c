using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Indicators;

/// <summary>An institution's indicators for a year (to date when it is not over), with how much of it the rollups cover.</summary>
/// <param name="Through">The end of the span counted: the year's end, or today's start while the year runs.</param>
/// <param name="CoveredDays">Days of the year with rollups; fewer than the days counted means the indicators understate it.</param>
public sealed record YearOfInstitution(Institution Institution, InstitutionIndicators Indicators, DateTimeOffset Through, int CoveredDays, double DaysCounted)
{
    /// <summary>Whether the rollups cover at least nine days in ten of the span counted.</summary>
    public bool WellCovered => CoveredDays >= DaysCounted * 0.9;
}

/// <summary>
/// Reads an institution's daily rollups from its base year to the year asked for and computes its indicators
/// (<see cref="IndicatorCalculator"/>): the one read the scorecard, the rankings and the API share.
/// </summary>
public sealed class YearIndicators(SiteModel site, IConsumptionStore rollups, CoefficientCatalog catalog, TimeProvider time)
{
    public async Task<YearOfInstitution> ForAsync(Institution institution, int year, CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        var startOfYear = RollupPeriods.Local(new DateTime(year, 1, 1), zone);
        var endOfYear = RollupPeriods.Local(new DateTime(year + 1, 1, 1), zone);
        var today = RollupPeriods.Start(RollupPeriod.Day, time.GetUtcNow(), zone);
        var through = endOfYear < today ? endOfYear : today;
        var daily = await DailyRollupsAsync(rollups, zone, institution, year, through, cancellationToken).ConfigureAwait(false);
        var indicators = IndicatorCalculator.Compute(site, institution, through, daily, catalog);
        var covered = daily.Where(r => r.Start >= startOfYear).Select(r => r.Start).Distinct().Count();
        return new YearOfInstitution(institution, indicators, through, covered, Math.Max(0, (through - startOfYear).TotalDays));
    }

    /// <summary>
    /// What <see cref="IndicatorCalculator"/> needs for an institution's <paramref name="year"/>: its daily kind rollups
    /// from the start of its base year (or the year before, for year on year) to <paramref name="through"/>.
    /// </summary>
    public static Task<IReadOnlyList<RollupRow>> DailyRollupsAsync(IConsumptionStore rollups, TimeZoneInfo zone, Institution institution, int year, DateTimeOffset through, CancellationToken cancellationToken)
    {
        var firstYear = Math.Min(year - 1, institution.Targets?.BaseYear ?? year - 1);
        var series = EnergyKinds.Consumed.Select(k => SeriesGroups.Kind(SeriesScope.Institution, institution.Id, k)).ToList();
        return rollups.RollupsAsync(series, RollupPeriod.Day, RollupPeriods.Local(new DateTime(firstYear, 1, 1), zone), through, cancellationToken);
    }
}
