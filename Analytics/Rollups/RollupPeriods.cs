using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Rollups;

/// <summary>Period boundaries in a zone. Pure.</summary>
public static class RollupPeriods
{
    /// <summary>The start of the period containing <paramref name="t"/>, as a UTC instant.</summary>
    public static DateTimeOffset Start(RollupPeriod period, DateTimeOffset t, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(t, zone);
        var start = period switch
        {
            RollupPeriod.Hour => new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0, DateTimeKind.Unspecified),
            RollupPeriod.Day => local.Date,
            _ => new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified),
        };
        return Local(start, zone);
    }

    /// <summary>The start of the period after the one starting at <paramref name="start"/>.</summary>
    public static DateTimeOffset Next(RollupPeriod period, DateTimeOffset start, TimeZoneInfo zone)
    {
        if (period == RollupPeriod.Hour)
        {
            return start.AddHours(1);
        }

        var local = TimeZoneInfo.ConvertTime(start, zone).DateTime;
        return Local(period == RollupPeriod.Day ? local.AddDays(1) : local.AddMonths(1), zone);
    }

    /// <summary>The instant of a wall-clock time in the zone, e.g. a local midnight.</summary>
    public static DateTimeOffset Local(DateTime local, TimeZoneInfo zone)
    {
        // A local midnight that daylight saving skips does not exist; the period then starts at the first instant that does.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
