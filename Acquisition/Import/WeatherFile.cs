using System.Globalization;
using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Site;

namespace EnergyMonitor.Acquisition.Import;

/// <summary>
/// Temperatures of a weather station from a CSV or Excel file: daily means (<c>station,date,mean_temp_c</c>) or
/// observations (<c>station,timestamp,temp_c</c>), in °C. Every bad row is reported; a file with any is not imported.
/// Local dates and times are the site's.
/// </summary>
public static class WeatherFile
{
    /// <summary>The coldest and hottest air temperatures a station in China records, with room to spare.</summary>
    private const double MinC = -60, MaxC = 60;

    public static (IReadOnlyList<Reading> Readings, IReadOnlyList<ConfigError> Errors) Read(string path, TimeZoneInfo zone, ImportLimits limits, CancellationToken cancellationToken)
    {
        var readings = new List<Reading>();
        var errors = new List<ConfigError>();
        ImportTable.Read(path, limits, errors, Judge, () => readings.Count, cancellationToken);
        return (readings, errors);

        bool Judge(int row, IDictionary<string, object?> record)
        {
            var daily = record.ContainsKey("date") && record.ContainsKey("mean_temp_c");
            var hourly = record.ContainsKey("timestamp") && record.ContainsKey("temp_c");
            if (!record.TryGetValue("station", out var stationCell) || daily == hourly)
            {
                errors.Add(new ConfigError(path, 1, 0, "(header)", string.Join(",", record.Keys), "columns station,date,mean_temp_c (daily means) or station,timestamp,temp_c (observations)"));
                return false;
            }

            var station = Text(stationCell);
            if (!SiteConfigLoader.IdPattern().IsMatch(station))
            {
                errors.Add(new ConfigError(path, row, 1, "station", $"\"{station}\"", "a weather station id as site.yaml names it"));
                return true;
            }

            var timeText = Text(daily ? record["date"] : record["timestamp"]);
            // An Excel date cell arrives as a DateTime: its day, not its text (which carries a time and missed the day's format).
            DateTimeOffset? at = daily
                ? record["date"] is DateTime cellDay && cellDay.TimeOfDay == TimeSpan.Zero ? ReadingFile.Local(cellDay, zone)
                : DateOnly.TryParseExact(timeText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? ReadingFile.Local(date.ToDateTime(TimeOnly.MinValue), zone) : null
                : record["timestamp"] is DateTime cellTime ? ReadingFile.Local(cellTime, zone) : ReadingFile.ParseTime(timeText, zone);
            if (at is null || limits.IsAhead(at.Value))
            {
                errors.Add(new ConfigError(path, row, 2, daily ? "date" : "timestamp", $"\"{timeText}\"", (daily ? "a day as yyyy-MM-dd" : "ISO 8601 with an offset or local time (2025-06-01 08:00)") + $", within {MeteringEra.Description} and not after now"));
                return true;
            }

            var valueText = Text(daily ? record["mean_temp_c"] : record["temp_c"]);
            if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var temp) || !double.IsFinite(temp) || temp is < MinC or > MaxC)
            {
                errors.Add(new ConfigError(path, row, 3, daily ? "mean_temp_c" : "temp_c", $"\"{valueText}\"", $"a temperature in °C from {MinC} to {MaxC}"));
                return true;
            }

            readings.Add(new Reading(daily ? WeatherSeries.DailyMeans(station) : WeatherSeries.Observations(station), at.Value.ToUniversalTime(), temp, ReadingQuality.Manual));
            return true;
        }
    }

    private static string Text(object? cell) => cell switch
    {
        DateTime d => d.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        _ => Convert.ToString(cell, CultureInfo.InvariantCulture)?.Trim() ?? "",
    };
}
