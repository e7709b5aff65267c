using CsCheck;
using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Reports.Model;

namespace EnergyMonitor.Reports.Tests;

public sealed class LoadShapeTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    // November 2026: the 2nd is a Monday; 30 days, 21 working days and 9 weekend days with weekends only.
    private static readonly ReportPeriod November = new(PeriodKind.Month, 2026, 11);

    private static RollupRow Hour(DateOnly day, int hour, double kwh) =>
        new("building/b1/electricity", RollupPeriod.Hour, RollupPeriods.Local(day.ToDateTime(new TimeOnly(hour, 0)), Shanghai), kwh, 0, 0, IntervalFlags.None, 4);

    [Fact]
    public void Ten_kWh_at_9_on_each_working_day_and_2_kWh_at_3_on_each_day_off_make_the_two_mean_days()
    {
        var rows = Enumerable.Range(1, 30).Select(d => new DateOnly(2026, 11, d))
            .Select(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? Hour(d, 3, 2) : Hour(d, 9, 10)).ToList();

        var (profile, heatmap) = LoadShape.Of(rows, November, Shanghai, HolidayCalendar.WeekendsOnly);

        Assert.Equal(10, profile!.WorkingDays[9]);
        Assert.Equal(0, profile.WorkingDays[3]);
        Assert.Equal(2, profile.DaysOff[3]);
        Assert.Equal(10, heatmap![9, 1]); // Monday the 2nd
        Assert.Equal(2, heatmap[3, 0]); // Sunday the 1st
    }

    [Fact]
    public void No_hours_is_no_shape()
    {
        Assert.Equal((null, null), LoadShape.Of([], November, Shanghai, HolidayCalendar.WeekendsOnly));
    }

    /// <summary>The heatmap holds every kWh of the period once, and each mean day is the kind's total over its days.</summary>
    [Fact]
    public void Generated_hours_are_all_in_the_heatmap_and_the_means_are_totals_over_days()
    {
        Gen.Int[0, 30 * 24 - 1].Select(Gen.Double[0, 500]).List[0, 200].Sample(hours =>
        {
            var rows = hours.GroupBy(h => h.Item1).Select(g => g.First())
                .Select(h => Hour(new DateOnly(2026, 11, 1).AddDays(h.Item1 / 24), h.Item1 % 24, h.Item2)).ToList();
            var (profile, heatmap) = LoadShape.Of(rows, November, Shanghai, HolidayCalendar.WeekendsOnly);
            if (rows.Count == 0)
            {
                Assert.Null(profile);
                return;
            }

            Assert.Equal(rows.Sum(r => r.Amount), heatmap!.Cast<double>().Sum(), 6);
            var byDay = rows.GroupBy(r => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(r.Start, Shanghai).DateTime)).ToList();
            var working = byDay.Where(g => HolidayCalendar.WeekendsOnly.IsWorkingDay(g.Key)).ToList();
            if (working.Count > 0)
            {
                Assert.Equal(working.Sum(g => g.Sum(r => r.Amount)) / working.Count, profile!.WorkingDays.Sum(), 6);
            }
        }, iter: 500);
    }
}
