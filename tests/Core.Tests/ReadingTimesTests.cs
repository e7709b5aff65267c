using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Core.Tests;

public sealed class ReadingTimesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(-60 * 24, false)] // yesterday: late, not ahead
    [InlineData(0, false)]
    [InlineData(5, false)] // a meter's clock exactly the skew ahead is believed
    [InlineData(6, true)]
    [InlineData(60 * 24 * 365, true)]
    public void A_reading_more_than_the_skew_after_now_is_ahead(int minutesAfterNow, bool ahead)
    {
        Assert.Equal(ahead, ReadingTimes.IsAhead(Now.AddMinutes(minutesAfterNow), Now, FiveMinutes));
    }

    [Fact]
    public void The_same_instant_written_in_another_offset_is_the_same_time()
    {
        var utc = Now.AddMinutes(5).ToUniversalTime();

        Assert.False(ReadingTimes.IsAhead(utc, Now, FiveMinutes));
        Assert.True(ReadingTimes.IsAhead(utc.AddTicks(1), Now, FiveMinutes));
    }
}
