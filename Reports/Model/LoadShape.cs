using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Reports.Model;

/// <summary>The shape of a period's electricity by hour: the mean day on working days and on days off, and the hour × day matrix. Pure.</summary>
public static class LoadShape
{
    /// <param name="rows">The period's hourly rollups of one series; empty gives no shape.</param>
    public static (LoadProfile? Profile, double[,]? Heatmap) Of(IReadOnlyList<RollupRow> rows, ReportPeriod period, TimeZoneInfo zone, HolidayCalendar calendar)
    {
        if (rows.Count == 0)
        {
            return (null, null);
        }

        var working = new double[24];
        var off = new double[24];
        var workingDays = new HashSet<DateOnly>();
        var offDays = new HashSet<DateOnly>();
        var heatmap = new double[24, period.Days];
        foreach (var row in rows)
        {
            var local = TimeZoneInfo.ConvertTime(row.Start, zone).DateTime;
            var day = DateOnly.FromDateTime(local);
            heatmap[local.Hour, day.DayNumber - period.First.DayNumber] += row.Amount;
            if (calendar.IsWorkingDay(day))
            {
                working[local.Hour] += row.Amount;
                workingDays.Add(day);
            }
            else
            {
                off[local.Hour] += row.Amount;
                offDays.Add(day);
            }
        }

        return (new LoadProfile([.. working.Select(v => workingDays.Count > 0 ? v / workingDays.Count : 0)], [.. off.Select(v => offDays.Count > 0 ? v / offDays.Count : 0)]), heatmap);
    }
}
