using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Rollups;

/// <summary>Sums intervals into periods, and periods into coarser ones, or series into groups. Pure.</summary>
public static class Rollup
{
    public static IReadOnlyList<RollupRow> OfIntervals(string series, IEnumerable<ConsumptionInterval> intervals, RollupPeriod period, TimeZoneInfo zone) =>
        intervals
            .GroupBy(i => RollupPeriods.Start(period, i.Start, zone))
            .Select(g => new RollupRow(series, period, g.Key, g.Sum(i => i.Amount), g.Sum(i => i.Estimated), g.Sum(i => i.Rejected),
                g.Aggregate(IntervalFlags.None, (f, i) => f | i.Flags), g.Count()))
            .OrderBy(r => r.Start)
            .ToList();

    /// <summary>Rows of one period into the next coarser one (hours into days, days into months).</summary>
    public static IReadOnlyList<RollupRow> OfRows(IEnumerable<RollupRow> rows, RollupPeriod coarser, TimeZoneInfo zone) =>
        rows
            .GroupBy(r => (r.Series, Start: RollupPeriods.Start(coarser, r.Start, zone)))
            .Select(g => Sum(g.Key.Series, coarser, g.Key.Start, g))
            .OrderBy(r => r.Series, StringComparer.Ordinal).ThenBy(r => r.Start)
            .ToList();

    /// <summary>The sum of several series' rows of the same period and start, as one series.</summary>
    public static RollupRow Sum(string series, RollupPeriod period, DateTimeOffset start, IEnumerable<RollupRow> rows)
    {
        double amount = 0, estimated = 0, rejected = 0;
        var flags = IntervalFlags.None;
        var intervals = 0;
        foreach (var r in rows)
        {
            amount += r.Amount;
            estimated += r.Estimated;
            rejected += r.Rejected;
            flags |= r.Flags;
            intervals += r.Intervals;
        }

        return new RollupRow(series, period, start, amount, estimated, rejected, flags, intervals);
    }
}
