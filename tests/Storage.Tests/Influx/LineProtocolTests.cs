using EnergyMonitor.Core.Domain;
using EnergyMonitor.Storage.Influx;

namespace EnergyMonitor.Storage.Tests.Influx;

public sealed class LineProtocolTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    [Fact]
    public void A_reading_becomes_measurement_sorted_tags_float_value_integer_quality_and_ms_time()
    {
        var line = LineProtocol.Point("reading", new Reading(new MeterId("m1"), T, 12.5, ReadingQuality.Manual),
            new Dictionary<string, string> { ["kind"] = "water", ["building"] = "b1" });

        Assert.Equal("reading,meter=m1,building=b1,kind=water value=12.5,quality=8i 1700000000123", line);
    }

    [Fact]
    public void Spaces_commas_and_equals_signs_in_tags_are_escaped_and_empty_tags_left_out()
    {
        var line = LineProtocol.Point("reading", new Reading(new MeterId("主楼 A,1=2"), T, 1), new Dictionary<string, string> { ["item"] = "" });

        Assert.Equal(@"reading,meter=主楼\ A\,1\=2 value=1,quality=0i 1700000000123", line);
    }

    [Fact]
    public void Values_keep_full_double_precision()
    {
        var line = LineProtocol.Point("reading", new Reading(new MeterId("m"), T, 0.1 + 0.2), new Dictionary<string, string>());

        Assert.Contains("value=0.30000000000000004,", line);
    }
}
