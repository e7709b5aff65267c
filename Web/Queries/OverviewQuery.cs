using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Web.Queries;

/// <summary>One building's month so far.</summary>
public sealed record BuildingMonth(Building Building, Institution Institution, double Kgce, int OfflineMeters)
{
    public double? KgcePerSquareMetre => Building.FloorArea.Value > 0 ? Kgce / Building.FloorArea.Value : null;
}

/// <summary>
/// The region's month so far against the same days of last year, day by day in kgce; each building's month; the
/// open alerts and the meters' statuses. Days are the site's local days.
/// </summary>
/// <param name="DailyKgce">One value per day of the month, null for a day without rollups (yet).</param>
public sealed record Overview(DateOnly Today, double MonthToDateKgce, double SameDaysLastYearKgce, IReadOnlyList<double?> DailyKgce, IReadOnlyList<double?> DailyKgceLastYear,
    IReadOnlyList<BuildingMonth> Buildings, IReadOnlyList<Alert> OpenAlerts, IReadOnlyList<MeterState> Meters)
{
    /// <summary>The change against the same days of last year, or null without them.</summary>
    public double? Change => SameDaysLastYearKgce > 0 ? (MonthToDateKgce - SameDaysLastYearKgce) / SameDaysLastYearKgce : null;
}

/// <summary>The overview as numbers, for the console's first page and the API's /overview alike.</summary>
public sealed class OverviewQuery(SiteModel site, IConsumptionStore rollups, IAlertStore alerts, CoefficientCatalog catalog, MeterStatusQuery statuses, TimeProvider time)
{
    public async Task<Overview> GetAsync(CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var lastYearStart = monthStart.AddYears(-1);
        var set = catalog.For(today.Year, site.Region.Code);
        var lastSet = catalog.TryFor(today.Year - 1, site.Region.Code) ?? set;
        DateTimeOffset Midnight(DateOnly day) => RollupPeriods.Local(day.ToDateTime(TimeOnly.MinValue), zone);

        var regionKinds = EnergyKinds.Consumed.ToDictionary(k => SeriesGroups.Kind(SeriesScope.Region, site.Region.Code, k));
        double Kgce(IEnumerable<RollupRow> rows, CoefficientSet s) => rows.Sum(r => (s.Kgce(regionKinds[r.Series])?.PerUnit ?? 0) * r.Amount);
        var now = await rollups.RollupsAsync(regionKinds.Keys, RollupPeriod.Day, Midnight(monthStart), Midnight(today.AddDays(1)), cancellationToken).ConfigureAwait(false);
        var before = await rollups.RollupsAsync(regionKinds.Keys, RollupPeriod.Day, Midnight(lastYearStart), Midnight(lastYearStart.AddMonths(1)), cancellationToken).ConfigureAwait(false);
        var days = DateTime.DaysInMonth(today.Year, today.Month);
        double?[] Daily(IReadOnlyList<RollupRow> rows, DateOnly first, CoefficientSet s)
        {
            var values = new double?[days];
            foreach (var g in rows.GroupBy(r => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(r.Start, zone).DateTime)))
            {
                var i = g.Key.DayNumber - first.DayNumber;
                if (i >= 0 && i < days)
                {
                    values[i] = Kgce(g, s);
                }
            }

            return values;
        }

        var open = await alerts.ListAsync(new AlertQuery(ActiveOnly: true, Limit: 1000), cancellationToken).ConfigureAwait(false);
        var meters = await statuses.ListAsync(null, cancellationToken).ConfigureAwait(false);

        // Each building's month so far, by its kind series.
        var buildingSeries = site.Buildings.SelectMany(b => EnergyKinds.Consumed.Select(k => (Series: SeriesGroups.Kind(SeriesScope.Building, b.Id, k), Building: b, Kind: k))).ToList();
        var buildingRows = await rollups.RollupsAsync([.. buildingSeries.Select(s => s.Series)], RollupPeriod.Day, Midnight(monthStart), Midnight(today.AddDays(1)), cancellationToken).ConfigureAwait(false);
        var bySeries = buildingSeries.ToDictionary(s => s.Series);
        var buildings = site.Institutions.SelectMany(i => i.Buildings.Select(b => new BuildingMonth(b, i,
            buildingRows.Where(r => bySeries[r.Series].Building == b).Sum(r => (set.Kgce(bySeries[r.Series].Kind)?.PerUnit ?? 0) * r.Amount),
            meters.Count(s => s.Building == b && s.Status == MeterStatus.Offline)))).ToList();

        return new Overview(today, Kgce(now, set), Kgce(before.Where(r => r.Start < Midnight(lastYearStart.AddDays(today.Day))), lastSet),
            Daily(now, monthStart, set), Daily(before, lastYearStart, lastSet), buildings, [.. open], meters);
    }
}
