namespace EnergyMonitor.Analytics.Assessment;

/// <summary>A temperature observation of a weather station or a temperature meter, in °C.</summary>
public readonly record struct TemperatureObservation(DateTimeOffset Timestamp, double TempC);

/// <summary>
/// Daily mean temperatures from hourly (or finer) observations, by CalTRACK's rules
/// (docs/DOMAIN.md#energy-saving-assessment): each local hour is the mean of its observations; gaps of up to 6 hours
/// between known hours are interpolated linearly; a day's mean needs at least half of its hours, interpolated ones
/// counting. Days of the site's zone, 23 or 25 hours long where daylight saving changes. Pure.
/// </summary>
public static class DailyTemperature
{
    public const int MaxInterpolatedHours = 6;
    public const double MinShareOfHours = 0.5;

    public static IReadOnlyList<(DateOnly Date, double? MeanC)> Means(IEnumerable<TemperatureObservation> observations, DateOnly first, DateOnly last, TimeZoneInfo zone)
    {
        // Every local hour of the period, as UTC instants, with the observations that fall in it.
        var start = Midnight(first, zone);
        var end = Midnight(last.AddDays(1), zone);
        var hours = new List<DateTimeOffset>();
        for (var t = start; t < end; t = t.AddHours(1))
        {
            hours.Add(t);
        }

        var sums = new double[hours.Count];
        var counts = new int[hours.Count];
        foreach (var o in observations)
        {
            if (o.Timestamp < start || o.Timestamp >= end || !double.IsFinite(o.TempC))
            {
                continue;
            }

            var index = (int)((o.Timestamp - start).Ticks / TimeSpan.TicksPerHour);
            sums[index] += o.TempC;
            counts[index]++;
        }

        var hourly = new double?[hours.Count];
        for (var i = 0; i < hours.Count; i++)
        {
            hourly[i] = counts[i] > 0 ? sums[i] / counts[i] : null;
        }

        Interpolate(hourly);

        var result = new List<(DateOnly, double?)>();
        var h = 0;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var dayEnd = Midnight(day.AddDays(1), zone);
            double sum = 0;
            int known = 0, all = 0;
            for (; h < hours.Count && hours[h] < dayEnd; h++, all++)
            {
                if (hourly[h] is { } v)
                {
                    sum += v;
                    known++;
                }
            }

            result.Add((day, all > 0 && known >= MinShareOfHours * all ? sum / known : null));
        }

        return result;
    }

    /// <summary>Fills runs of at most <see cref="MaxInterpolatedHours"/> missing hours between two known ones.</summary>
    private static void Interpolate(double?[] hourly)
    {
        var previous = -1;
        for (var i = 0; i < hourly.Length; i++)
        {
            if (hourly[i] is not { } value)
            {
                continue;
            }

            var gap = i - previous - 1;
            if (previous >= 0 && gap is > 0 and <= MaxInterpolatedHours)
            {
                var from = hourly[previous]!.Value;
                for (var k = 1; k <= gap; k++)
                {
                    hourly[previous + k] = from + ((value - from) * k / (gap + 1));
                }
            }

            previous = i;
        }
    }

    private static DateTimeOffset Midnight(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
