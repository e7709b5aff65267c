using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Simulation;

/// <summary>What a building is used for, which shapes its day, week and year.</summary>
public enum Occupancy
{
    Office,
    School,
    Hospital,
}

/// <summary>
/// Synthetic but plausible use profiles for simulated meters. Pure functions of local time, so the demo and
/// the Modbus simulator agree and tests can check the shapes.
/// </summary>
public static class LoadProfile
{
    /// <summary>
    /// Daily mean outdoor temperature (°C) for a hot-summer-cold-winter site such as southern Jiangsu:
    /// about 3 °C in mid-January and 29 °C in late July.
    /// </summary>
    public static double DailyMeanTemperature(DateOnly day) =>
        16 + (13 * Math.Sin(2 * Math.PI * (day.DayOfYear - 115) / 365.0)) + Weather(day.DayNumber);

    /// <summary>
    /// The outdoor temperature (°C) at a local time: the day's mean with a diurnal swing, coolest near 05:00 and
    /// warmest near 15:00. Hourly values of one day average to <see cref="DailyMeanTemperature"/>.
    /// </summary>
    public static double Temperature(DateTime local)
    {
        var hour = local.Hour + (local.Minute / 60.0);
        return DailyMeanTemperature(DateOnly.FromDateTime(local)) + (4 * Math.Cos(2 * Math.PI * (hour - 15) / 24));
    }

    // Fronts passing: days run warmer or colder than the season for a few days at a time. Waves of incommensurate
    // periods give weather that never repeats, the same on every run, so that a baseline model has something to fit.
    private static double Weather(int dayNumber) =>
        (2.2 * Math.Sin(dayNumber / 3.7)) + (1.6 * Math.Sin(dayNumber / 6.1 + 1)) + (1.1 * Math.Sin(dayNumber / 1.9 + 2));

    public static Occupancy OccupancyOf(string natureCode) => natureCode switch
    {
        "021" => Occupancy.School,
        "024" => Occupancy.Hospital,
        _ => Occupancy.Office,
    };

    /// <summary>The share of peak activity at a local time: 1 at a busy weekday hour, a baseload share at night.</summary>
    /// <param name="workingDay">Whether the day is worked; null takes Monday to Friday (the demo passes the holiday calendar's answer, 调休 included).</param>
    public static double Activity(Occupancy occupancy, DateTime local, bool? workingDay = null)
    {
        var hour = local.Hour + (local.Minute / 60.0);
        var weekend = !(workingDay ?? local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        return occupancy switch
        {
            // Hospitals never close: wards at night, outpatients by day.
            Occupancy.Hospital => 0.55 + (0.45 * Bell(hour, 8, 18) * (weekend ? 0.6 : 1.0)),
            Occupancy.School when IsSchoolHoliday(DateOnly.FromDateTime(local)) => 0.15 + (0.1 * Bell(hour, 9, 16)),
            Occupancy.School => weekend ? 0.18 : 0.15 + (0.85 * Bell(hour, 7.5, 17.5)),
            _ => weekend ? 0.25 + (0.1 * Bell(hour, 9, 16)) : 0.22 + (0.78 * Bell(hour, 8, 18) * LunchDip(hour)),
        };
    }

    /// <summary>Relative heating (positive) and cooling load of a day, from degree-days against 14 °C and 22 °C.</summary>
    public static (double Heating, double Cooling) ClimateLoad(DateOnly day)
    {
        var t = DailyMeanTemperature(day);
        return (Math.Max(0, 14 - t) / 11.0, Math.Max(0, t - 22) / 7.0);
    }

    /// <summary>
    /// Use in one interval, in the meter's canonical unit, for a meter whose annual use is
    /// <paramref name="annual"/>. Each item code gets the shape its equipment has.
    /// </summary>
    public static double IntervalUse(Meter meter, Occupancy occupancy, DateTime local, double annual, bool? workingDay = null)
    {
        var day = DateOnly.FromDateTime(local);
        var activity = Activity(occupancy, local, workingDay);
        var (heating, cooling) = ClimateLoad(day);
        var hoursPerInterval = meter.Interval.TotalHours;
        var perHourAverage = annual / 8760.0;
        var code = meter.Item?.Code ?? "";
        var shape = meter.Kind switch
        {
            EnergyKind.Electricity when code.StartsWith("01B", StringComparison.Ordinal) =>
                (0.1 + (1.6 * cooling) + (0.9 * heating)) * (0.3 + activity) * 1.4,
            EnergyKind.Electricity when code.StartsWith("01D1", StringComparison.Ordinal) => 1.0 + (0.05 * activity),
            EnergyKind.Electricity when code.StartsWith("01D2", StringComparison.Ordinal) => 0.3 + (2.2 * Meals(local)),
            EnergyKind.Electricity => 0.3 + (1.3 * activity),
            // Taps and cisterns rest when the building is empty: an office's or a school's water stops at night (a
            // hospital's does not), so that a leak shows as flow where there should be none.
            EnergyKind.Water => 0.004 + (2.2 * Math.Max(0, activity - 0.25)) + (0.6 * Meals(local)),
            EnergyKind.NaturalGas => 0.2 + (2.5 * Meals(local)) + (1.2 * heating),
            EnergyKind.Heat or EnergyKind.Steam => 0.3 + (2.8 * heating),
            EnergyKind.Cooling => 3.2 * cooling * (0.3 + activity),
            _ => activity,
        };
        return perHourAverage * hoursPerInterval * shape;
    }

    private static double Bell(double hour, double open, double close) =>
        hour <= open - 1 || hour >= close + 1 ? 0
        : hour < open ? hour - (open - 1)
        : hour > close ? (close + 1) - hour
        : 1;

    private static double LunchDip(double hour) => hour is >= 12 and < 13.5 ? 0.75 : 1.0;

    private static double Meals(DateTime local)
    {
        var hour = local.Hour + (local.Minute / 60.0);
        return hour is >= 10.5 and < 12.5 or >= 16.5 and < 18.5 ? 1 : hour is >= 6.5 and < 8 ? 0.5 : 0;
    }

    private static bool IsSchoolHoliday(DateOnly day) =>
        (day.Month == 1 && day.Day >= 20) || day.Month == 2 && day.Day < 20 || (day.Month == 7 && day.Day >= 10) || day.Month == 8;
}
