namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>
/// Which days a public institution works: Monday to Friday, except the statutory holidays, plus the adjusted working
/// days (调休) that the State Council moves onto weekends. Years not in the calendar fall back to plain weekends, and
/// <see cref="Covers"/> says so, so that a rule can tell a report which years it judged without the holiday list.
/// </summary>
public sealed class HolidayCalendar(IReadOnlyDictionary<int, HolidayYear> years)
{
    public static HolidayCalendar WeekendsOnly { get; } = new(new Dictionary<int, HolidayYear>());

    public bool Covers(int year) => years.ContainsKey(year);

    public bool IsWorkingDay(DateOnly day)
    {
        if (years.TryGetValue(day.Year, out var year))
        {
            if (year.Holidays.Contains(day))
            {
                return false;
            }

            if (year.WorkingDays.Contains(day))
            {
                return true;
            }
        }

        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>The holiday's name for a day off that is not a plain weekend, or null.</summary>
    public string? HolidayName(DateOnly day) =>
        years.TryGetValue(day.Year, out var year) && year.Names.TryGetValue(day, out var name) ? name : null;
}

/// <summary>One year's notice: its days off, its adjusted working days, and the notice it comes from.</summary>
public sealed record HolidayYear(int Year, string Source, IReadOnlySet<DateOnly> Holidays, IReadOnlySet<DateOnly> WorkingDays, IReadOnlyDictionary<DateOnly, string> Names);
