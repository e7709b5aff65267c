namespace EnergyMonitor.Analytics.Consumption;

/// <summary>
/// A meter's interval grid, aligned to the site's local clock (a 15-minute grid starts at local :00, :15, …;
/// an hour or a day starts at local midnight). Pure.
/// </summary>
public sealed record IntervalGrid(TimeSpan Length, TimeZoneInfo Zone)
{
    /// <summary>The start of the interval that contains <paramref name="t"/>.</summary>
    public DateTimeOffset Floor(DateTimeOffset t)
    {
        // Aligned in local time with the offset in force at t: for zones without daylight saving (China's) this
        // is exact; where the offset changes, 15-minute grids stay aligned because offsets are whole quarters.
        var local = TimeZoneInfo.ConvertTime(t, Zone);
        var sinceMidnight = local.TimeOfDay.Ticks;
        var floored = local.Date.AddTicks(sinceMidnight - (sinceMidnight % Length.Ticks));
        return new DateTimeOffset(floored, local.Offset).ToUniversalTime();
    }

    /// <summary>The start of the interval that contains the instant just before <paramref name="t"/>.</summary>
    public DateTimeOffset FloorBefore(DateTimeOffset t) => Floor(t.AddTicks(-1));

    /// <summary>The boundary after <paramref name="boundary"/>; a local day that daylight saving makes 25 hours long still ends at midnight.</summary>
    public DateTimeOffset Next(DateTimeOffset boundary)
    {
        var next = Floor(boundary + Length);
        return next > boundary ? next : Floor(boundary + Length + (Length / 2));
    }
}
