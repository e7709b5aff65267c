using EnergyMonitor.Acquisition.Polling;

namespace EnergyMonitor.Acquisition.Tests.Polling;

public sealed class ScheduleTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Theory]
    [InlineData("2026-03-01T10:07:12+08:00", 15, "2026-03-01T10:15:00+08:00")]
    [InlineData("2026-03-01T10:15:00+08:00", 15, "2026-03-01T10:30:00+08:00")]
    [InlineData("2026-03-01T23:59:59+08:00", 15, "2026-03-02T00:00:00+08:00")]
    // A daily meter reads at local midnight, which is 16:00 UTC the day before.
    [InlineData("2026-03-01T10:00:00+08:00", 1440, "2026-03-02T00:00:00+08:00")]
    public void Due_times_align_to_the_local_clock(string after, int minutes, string expected)
    {
        var due = Schedule.NextDue(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMinutes(minutes), Shanghai);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), due);
    }

    [Fact]
    public void Fast_groups_align_to_whole_seconds()
    {
        var due = Schedule.NextDue(new DateTimeOffset(2026, 3, 1, 2, 0, 3, 400, TimeSpan.Zero), TimeSpan.FromSeconds(10), Shanghai);

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 2, 0, 10, TimeSpan.Zero), due);
    }

    [Fact]
    public void A_zone_with_a_half_hour_offset_still_reads_on_its_own_quarter_hours()
    {
        var kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

        var due = Schedule.NextDue(new DateTimeOffset(2026, 3, 1, 10, 1, 0, TimeSpan.FromHours(5.5)), TimeSpan.FromHours(1), kolkata);

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.FromHours(5.5)), due);
    }
}
