namespace EnergyMonitor.Acquisition.Polling;

/// <summary>Clock-aligned due times: a 15-minute meter reads at :00, :15, :30 and :45 local time.</summary>
public static class Schedule
{
    /// <summary>The first instant strictly after <paramref name="after"/> that is a whole multiple of <paramref name="interval"/> on the local clock.</summary>
    public static DateTimeOffset NextDue(DateTimeOffset after, TimeSpan interval, TimeZoneInfo zone)
    {
        var offset = zone.GetUtcOffset(after);
        var localTicks = after.UtcTicks + offset.Ticks;
        var next = ((localTicks / interval.Ticks) + 1) * interval.Ticks;
        return new DateTimeOffset(next - offset.Ticks, TimeSpan.Zero);
    }
}
