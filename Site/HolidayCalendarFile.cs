using System.Globalization;
using EnergyMonitor.Analytics.Anomalies;

namespace EnergyMonitor.Site;

/// <summary>
/// Reads a holiday calendar file (config/holidays-cn.csv): <c>date,kind,name</c> rows, <c>#</c> comments, where kind is
/// <c>holiday</c> or <c>workday</c>. A year with at least one row is taken as complete.
/// </summary>
public static class HolidayCalendarFile
{
    public static HolidayCalendar Load(string path)
    {
        var holidays = new Dictionary<int, HashSet<DateOnly>>();
        var working = new Dictionary<int, HashSet<DateOnly>>();
        var names = new Dictionary<int, Dictionary<DateOnly, string>>();
        var sources = new Dictionary<int, string>();
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("date,", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line.Split(',', 3, StringSplitOptions.TrimEntries);
            if (fields.Length < 2 || !DateOnly.TryParseExact(fields[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) || fields[1] is not ("holiday" or "workday"))
            {
                throw new FormatException($"{path}:{number}: expected date,kind,name with a yyyy-MM-dd date and kind holiday or workday, found \"{line}\"");
            }

            var set = fields[1] == "holiday" ? holidays : working;
            (set.TryGetValue(day.Year, out var days) ? days : set[day.Year] = []).Add(day);
            (names.TryGetValue(day.Year, out var n) ? n : names[day.Year] = [])[day] = fields.Length > 2 ? fields[2] : fields[1];
            sources.TryAdd(day.Year, path);
        }

        return new HolidayCalendar(sources.Keys.ToDictionary(y => y, y => new HolidayYear(y, sources[y],
            holidays.GetValueOrDefault(y) ?? [], working.GetValueOrDefault(y) ?? [], names[y])));
    }
}
