using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Core.Tests;

public sealed class MeterStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 2, 30, 0, TimeSpan.Zero);

    private static readonly Meter FifteenMinutes = new(new MeterId("m1"), "总表", EnergyKind.Electricity, null, Units.UnitCatalog.Kwh, Multiplier.One, ReadingMode.Cumulative,
        TimeSpan.FromMinutes(15), null, null, null, [], new ManualSource());

    [Theory]
    [InlineData(0, MeterStatus.Ok)]
    [InlineData(45, MeterStatus.Ok)] // three 15-minute intervals: two lost polls are not yet late
    [InlineData(46, MeterStatus.Late)]
    [InlineData(24 * 60, MeterStatus.Late)]
    [InlineData(24 * 60 + 1, MeterStatus.Offline)]
    public void A_15_minute_meter_is_ok_for_45_minutes_late_for_a_day_then_offline(int minutesAgo, MeterStatus expected)
    {
        var latest = new Reading(FifteenMinutes.Id, Now.AddMinutes(-minutesAgo), 100);

        Assert.Equal(expected, MeterStatuses.Of(FifteenMinutes, latest, Now));
    }

    [Fact]
    public void A_meter_that_never_reported_is_offline()
    {
        Assert.Equal(MeterStatus.Offline, MeterStatuses.Of(FifteenMinutes, null, Now));
    }

    [Fact]
    public void Each_status_has_one_spelling_that_parses_back()
    {
        Assert.Equal(["ok", "late", "offline"], Enum.GetValues<MeterStatus>().Select(MeterStatuses.Name));
        Assert.All(Enum.GetValues<MeterStatus>(), s => Assert.True(MeterStatuses.TryParse(MeterStatuses.Name(s), out var back) && back == s));
        Assert.False(MeterStatuses.TryParse("OK", out _));
    }
}
