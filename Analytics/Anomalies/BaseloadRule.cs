using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>
/// Night and day-off baseload of a building's electricity, judged the morning after. Night: the night's mean hourly
/// use (00:00–05:00) as a share of the day's mean hour, against the same share on the building's previous days of the
/// same type (working or not). Day off (weekend, holiday, per the calendar with its 调休 working days): the day's use
/// as a share of the median of the five working days before it, against that share on earlier days off. Each fires
/// when the share is above its learned median by a factor and by several MADs: equipment left on, not a season.
/// </summary>
public sealed class BaseloadRule : IAnomalyRule
{
    public const string NightRule = "night-baseload";
    public const string DayOffRule = "dayoff-baseload";

    public string Id => NightRule;

    public IEnumerable<Finding> Evaluate(AnomalyInput input)
    {
        var day = input.LastCompleteDay;
        foreach (var institution in input.Site.Institutions)
        {
            foreach (var building in institution.Buildings.Where(b => b.Meters.Any(m => m.Kind == EnergyKind.Electricity)))
            {
                var series = SeriesGroups.Kind("building", building.Id, EnergyKind.Electricity);
                var days = DailyProfile.Days(input, input.HourlyOf(series), day);
                if (days.Count < 8 || days[^1].Day != day)
                {
                    continue;
                }

                var today = days[^1];
                var history = days.Take(days.Count - 1).ToList();
                var working = input.Calendar.IsWorkingDay(day);
                if (input.Options.Enabled(NightRule, series) && Night(input, building, institution, series, today, history, working) is { } night)
                {
                    yield return night;
                }

                if (!working && input.Options.Enabled(DayOffRule, series) && DayOff(input, building, institution, series, today, history) is { } off)
                {
                    yield return off;
                }
            }
        }
    }

    private static Finding? Night(AnomalyInput input, Building building, Institution institution, string series, DayUse today, List<DayUse> history, bool working)
    {
        var shares = history.Where(d => input.Calendar.IsWorkingDay(d.Day) == working && d.HourMean > 0).Select(d => d.NightMean / d.HourMean).ToList();
        if (shares.Count < 4 || today.HourMean <= 0)
        {
            return null;
        }

        var share = today.NightMean / today.HourMean;
        var (fires, expected) = Above(input.Options, share, shares);
        if (!fires)
        {
            return null;
        }

        var since = RollupPeriods.Local(today.Day.ToDateTime(TimeOnly.MinValue), input.Zone);
        return new Finding(NightRule, series, AlertSeverity.Warning, null, building.Id, institution.Id, since,
            [
                new Evidence("night mean use", Math.Round(today.NightMean, 2), "kWh/h"),
                new Evidence("night share of the day's mean hour", Math.Round(share, 3), "", $"≤ {expected:0.###}"),
            ],
            new LocalizedText($"{building.Name} {today.Day:MM-dd} 夜间（0–5 时）平均用电 {today.NightMean:0.#} kWh/h，为全天平均的 {share:P0}，高于正常的 {expected:P0}",
                $"{building.Name}: night use (00–05) on {today.Day:MM-dd} averaged {today.NightMean:0.#} kWh/h, {share:P0} of the day's mean hour against a usual {expected:P0}"),
            new LocalizedText("夜间可能有空调、照明或设备未关闭：请安排值班人员巡查，并检查定时控制。", "Air conditioning, lighting or equipment may have been left on overnight: have the night duty check, and review the timers."));
    }

    private static Finding? DayOff(AnomalyInput input, Building building, Institution institution, string series, DayUse today, List<DayUse> history)
    {
        double? Share(int index, DayUse d)
        {
            var before = history.Take(index).Where(h => input.Calendar.IsWorkingDay(h.Day)).TakeLast(5).Select(h => h.Total).ToList();
            return before.Count < 3 ? null : d.Total / Robust.Median(before);
        }

        var shares = new List<double>();
        for (var i = 0; i < history.Count; i++)
        {
            if (!input.Calendar.IsWorkingDay(history[i].Day) && Share(i, history[i]) is { } s)
            {
                shares.Add(s);
            }
        }

        if (shares.Count < 3 || Share(history.Count, today) is not { } share)
        {
            return null;
        }

        var (fires, expected) = Above(input.Options, share, shares);
        if (!fires)
        {
            return null;
        }

        var holiday = input.Calendar.HolidayName(today.Day);
        var what = holiday ?? (today.Day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? "周末" : "休息日");
        var since = RollupPeriods.Local(today.Day.ToDateTime(TimeOnly.MinValue), input.Zone);
        return new Finding(DayOffRule, series, AlertSeverity.Warning, null, building.Id, institution.Id, since,
            [
                new Evidence("day-off use", Math.Round(today.Total, 1), "kWh"),
                new Evidence("share of a working day", Math.Round(share, 3), "", $"≤ {expected:0.###}"),
            ],
            new LocalizedText($"{building.Name} {today.Day:MM-dd}（{what}）用电 {today.Total:N0} kWh，为工作日的 {share:P0}，高于正常的 {expected:P0}",
                $"{building.Name} used {today.Total:N0} kWh on {today.Day:MM-dd} ({holiday ?? "a day off"}), {share:P0} of a working day against a usual {expected:P0}"),
            new LocalizedText("休息日用电偏高：请检查空调、照明是否未关，加班用电是否已登记。", "Day-off use is high: check for air conditioning or lighting left on, and whether overtime use was registered."));
    }

    /// <summary>Whether a share is above its history's median by the factor and by the MAD margin; and the limit it passed.</summary>
    private static (bool Fires, double Expected) Above(AnomalyOptions options, double share, List<double> history)
    {
        var median = Robust.Median(history);
        var mad = Robust.Mad(history, median);
        var limit = Math.Max(median * options.BaseloadFactor, median + (options.BaseloadMadFactor * mad));
        return (share > limit, limit);
    }
}
