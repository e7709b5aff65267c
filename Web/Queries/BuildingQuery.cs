using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Web.Queries;

/// <summary>One electricity sub-item's use this month.</summary>
/// <param name="Share">Of the month's sub-metered electricity; null when there is none.</param>
public sealed record SubItemUse(ItemCode Item, double Kwh, double? Share);

/// <summary>
/// A building's electricity for a manager: the last 31 local days and the last 48 hours (null where there is no
/// rollup), this month's sub-items, and every meter's status.
/// </summary>
public sealed record BuildingPage(Building Building, Institution Institution, TimeZoneInfo TimeZone,
    IReadOnlyList<(DateOnly Day, DateTimeOffset Start, double? Kwh)> Daily, IReadOnlyList<(DateTimeOffset Hour, double? Kwh)> Hourly,
    IReadOnlyList<SubItemUse> SubItems, IReadOnlyList<MeterState> Meters);

/// <summary>A building's page as numbers, for the console and the API's /buildings/{id} alike.</summary>
public sealed class BuildingQuery(SiteModel site, IConsumptionStore rollups, MeterStatusQuery statuses, TimeProvider time)
{
    /// <returns>Null when the site has no such building.</returns>
    public async Task<BuildingPage?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var building = site.Buildings.FirstOrDefault(b => b.Id == id);
        if (building is null)
        {
            return null;
        }

        var zone = site.TimeZone;
        DateTimeOffset Midnight(DateOnly day) => RollupPeriods.Local(day.ToDateTime(TimeOnly.MinValue), zone);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var electricity = SeriesGroups.Kind(SeriesScope.Building, id, EnergyKind.Electricity);
        var daily = await rollups.RollupsAsync([electricity], RollupPeriod.Day, Midnight(today.AddDays(-30)), Midnight(today.AddDays(1)), cancellationToken).ConfigureAwait(false);
        var hourStart = RollupPeriods.Start(RollupPeriod.Hour, now, zone).AddHours(-47);
        var hourly = await rollups.RollupsAsync([electricity], RollupPeriod.Hour, hourStart, hourStart.AddHours(48), cancellationToken).ConfigureAwait(false);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var items = ItemCodes.All.Where(c => c.Kind == EnergyKind.Electricity && !c.IsCategory).ToDictionary(c => SeriesKey.Of(SeriesScope.Building, id, c).Text);
        var itemRows = await rollups.RollupsAsync(items.Keys, RollupPeriod.Day, Midnight(monthStart), Midnight(today.AddDays(1)), cancellationToken).ConfigureAwait(false);
        var itemTotal = itemRows.Sum(r => r.Amount);
        var meters = await statuses.ListAsync(id, cancellationToken).ConfigureAwait(false);

        var days = Enumerable.Range(0, 31).Select(i => today.AddDays(i - 30))
            .Select(d => (d, Midnight(d), daily.FirstOrDefault(r => r.Start == Midnight(d)) is { Series: not null } r ? (double?)r.Amount : null)).ToList();
        var hours = Enumerable.Range(0, 48).Select(h => hourStart.AddHours(h))
            .Select(h => (h, hourly.FirstOrDefault(r => r.Start == h) is { Series: not null } r ? (double?)r.Amount : null)).ToList();
        var subItems = itemRows.GroupBy(r => items[r.Series]).Select(g => new SubItemUse(g.Key, g.Sum(r => r.Amount), itemTotal > 0 ? g.Sum(r => r.Amount) / itemTotal : null))
            .OrderByDescending(s => s.Kwh).ToList();
        return new BuildingPage(building, site.Institutions.First(i => i.Buildings.Contains(building)), zone, days, hours, subItems, meters);
    }
}
