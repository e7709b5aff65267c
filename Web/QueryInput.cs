using System.Globalization;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Web;

/// <summary>
/// Parses and bounds what a caller sends, so a bad value is a 400 with its reason, never a 500 deeper down. Pure:
/// each method returns the value or the reason.
/// </summary>
public static class QueryInput
{
    public const int MaxQueryLength = 2048;

    /// <summary>The longest span each resolution may ask for: 400 days of 15-minute intervals is 38,400 points.</summary>
    public static TimeSpan MaxSpan(string resolution) => resolution switch
    {
        "interval" or "hour" => TimeSpan.FromDays(400),
        "day" => TimeSpan.FromDays(3660),
        _ => TimeSpan.FromDays(36600),
    };

    /// <summary>The years a caller may name (<see cref="MeteringEra"/>): a day in year 1 or 9999 was a 500.</summary>
    public const int FirstYear = MeteringEra.FirstYear, LastYear = MeteringEra.LastYear;

    /// <summary>A date (yyyy-MM-dd, midnight in the site's zone) or an ISO 8601 time with offset.</summary>
    public static bool TryTime(string? text, TimeZoneInfo zone, out DateTimeOffset value, out string reason)
    {
        value = default;
        reason = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            reason = "missing";
            return false;
        }

        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            if (!MeteringEra.Contains(day.Year))
            {
                reason = $"\"{text}\" is outside the years {FirstYear}–{LastYear}";
                return false;
            }

            value = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue)));
            return true;
        }

        if (text.Length <= 40 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value) && (text.Contains('Z', StringComparison.Ordinal) || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 9))
        {
            if (!MeteringEra.Contains(value.UtcDateTime.Year))
            {
                reason = $"\"{Clip(text)}\" is outside the years {FirstYear}–{LastYear}";
                value = default;
                return false;
            }

            return true;
        }

        reason = $"\"{Clip(text)}\" is not a date (yyyy-MM-dd) or an ISO 8601 time with offset (2026-10-01T00:00:00+08:00)";
        return false;
    }

    /// <summary>A day range a..b (inclusive), as the assessment takes it.</summary>
    public static bool TryDayRange(string? text, out DateOnly first, out DateOnly last, out string reason, int maxDays = 800)
    {
        first = last = default;
        reason = "";
        var parts = (text ?? "").Split("..");
        if (parts.Length != 2
            || !DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first)
            || !DateOnly.TryParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out last))
        {
            reason = $"\"{Clip(text ?? "")}\" is not a day range yyyy-MM-dd..yyyy-MM-dd";
            return false;
        }

        if (last < first || last.DayNumber - first.DayNumber > maxDays)
        {
            reason = $"{parts[0]}..{parts[1]} must run forwards and span at most {maxDays} days";
            return false;
        }

        if (!MeteringEra.Contains(first.Year) || !MeteringEra.Contains(last.Year))
        {
            reason = $"{parts[0]}..{parts[1]} is outside the years {FirstYear}–{LastYear}";
            return false;
        }

        return true;
    }

    public static bool TryLimit(string? text, int max, out int value, out string reason)
    {
        reason = "";
        value = max;
        if (text is null)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < 1 || value > max)
        {
            reason = $"\"{Clip(text)}\" is not a whole number from 1 to {max}";
            return false;
        }

        return true;
    }

    /// <summary>Echoes at most 60 characters of a bad value back: enough to recognise, too little to reflect a payload.</summary>
    public static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
