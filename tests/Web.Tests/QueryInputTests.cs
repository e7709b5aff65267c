using CsCheck;

namespace EnergyMonitor.Web.Tests;

public sealed class QueryInputTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void A_date_is_local_midnight_and_a_time_keeps_its_offset()
    {
        Assert.True(QueryInput.TryTime("2026-10-01", Beijing, out var day, out _));
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(8)), day);
        Assert.True(QueryInput.TryTime("2026-10-01T06:00:00Z", Beijing, out var utc, out _));
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 6, 0, 0, TimeSpan.Zero), utc);
        Assert.True(QueryInput.TryTime("2026-10-01T06:00:00+08:00", Beijing, out var local, out _));
        Assert.Equal(TimeSpan.FromHours(8), local.Offset);
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("2026-10-01T06:00:00")] // no offset: ambiguous
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("2026-10-01'; DROP TABLE readings;--")]
    public void Anything_else_is_refused_with_a_reason(string text)
    {
        Assert.False(QueryInput.TryTime(text, Beijing, out _, out var reason));
        Assert.NotEmpty(reason);
    }

    [Fact]
    public void Arbitrary_text_never_throws_and_the_reason_never_echoes_more_than_60_characters()
    {
        Gen.String.Sample(text =>
        {
            if (!QueryInput.TryTime(text, Beijing, out _, out var reason))
            {
                Assert.True(reason.Length < 200, reason);
            }

            QueryInput.TryDayRange(text, out _, out _, out _);
            QueryInput.TryLimit(text, 1000, out _, out _);
        }, iter: 5000);
    }

    [Fact]
    public void Day_ranges_run_forwards_and_are_bounded()
    {
        Assert.True(QueryInput.TryDayRange("2025-10-01..2026-09-30", out var first, out var last, out _));
        Assert.Equal((new DateOnly(2025, 10, 1), new DateOnly(2026, 9, 30)), (first, last));
        Assert.False(QueryInput.TryDayRange("2026-09-30..2025-10-01", out _, out _, out _));
        Assert.False(QueryInput.TryDayRange("2020-01-01..2026-01-01", out _, out _, out _));
        Assert.False(QueryInput.TryDayRange("2025-10-01", out _, out _, out _));
    }

    [Theory]
    [InlineData(null, true, 1000)]
    [InlineData("20", true, 20)]
    [InlineData("0", false, 0)]
    [InlineData("1001", false, 0)]
    [InlineData("-5", false, 0)]
    [InlineData("1e3", false, 0)]
    public void Limits_are_whole_numbers_in_range(string? text, bool ok, int expected)
    {
        Assert.Equal(ok, QueryInput.TryLimit(text, 1000, out var value, out _));
        if (ok)
        {
            Assert.Equal(expected, value);
        }
    }

    [Fact]
    public void Fifteen_minute_intervals_are_answered_for_at_most_400_days() =>
        Assert.Equal(38_400, QueryInput.MaxSpan("interval").TotalMinutes / 15);
}
