using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>One local day of a series' hourly use: the day's total and its night (00:00–05:00) mean, for complete days only.</summary>
internal readonly record struct DayUse(DateOnly Day, double Total, double NightMean, double HourMean);

internal static class DailyProfile
{
    public const int NightEndHour = 5;

    /// <summary>The series' complete local days (24 hourly rows), oldest first, up to and including <paramref name="last"/>.</summary>
    public static List<DayUse> Days(AnomalyInput input, IReadOnlyList<RollupRow> hourly, DateOnly last)
    {
        var days = new SortedDictionary<DateOnly, (double Total, double Night, int Hours, int NightHours)>();
        foreach (var row in hourly)
        {
            var local = input.Local(row.Start);
            var day = DateOnly.FromDateTime(local);
            if (day > last)
            {
                continue;
            }

            var d = days.GetValueOrDefault(day);
            d.Total += row.Amount;
            d.Hours++;
            if (local.Hour < NightEndHour)
            {
                d.Night += row.Amount;
                d.NightHours++;
            }

            days[day] = d;
        }

        return [.. days.Where(d => d.Value.Hours == 24 && d.Value.NightHours == NightEndHour)
            .Select(d => new DayUse(d.Key, d.Value.Total, d.Value.Night / NightEndHour, d.Value.Total / 24))];
    }
}
