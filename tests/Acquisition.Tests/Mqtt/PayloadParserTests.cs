using System.Text;
using EnergyMonitor.Acquisition.Mqtt;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Acquisition.Tests.Mqtt;

public sealed class PayloadParserTests
{
    private static readonly DateTimeOffset Arrival = new(2026, 3, 1, 8, 0, 0, TimeSpan.FromHours(8));
    private static readonly PayloadSpec Json = new("$.total", "$.ts");

    private static ParseResult Parse(string payload, PayloadSpec spec) =>
        PayloadParser.Parse(Encoding.UTF8.GetBytes(payload), spec, Arrival, PayloadLimits.Default);

    [Fact]
    public void A_plain_number_is_a_value_at_arrival_time_flagged_so()
    {
        var value = Assert.Single(Parse(" 1234.5\n", new PayloadSpec()).Values);

        Assert.Equal((1234.5, Arrival, true), (value.Value, value.Timestamp, value.UsedArrivalTime));
    }

    [Theory]
    // 2026-03-01T00:00:00Z as epoch seconds, epoch milliseconds, and ISO 8601 with offsets.
    [InlineData("{\"total\": 12.5, \"ts\": 1772323200}")]
    [InlineData("{\"total\": 12.5, \"ts\": 1772323200000}")]
    [InlineData("{\"total\": 12.5, \"ts\": \"2026-03-01T08:00:00+08:00\"}")]
    [InlineData("{\"total\": \"12.5\", \"ts\": \"2026-03-01T00:00:00Z\"}")]
    public void Every_timestamp_form_gives_the_same_instant(string payload)
    {
        var value = Assert.Single(Parse(payload, Json).Values);

        Assert.Equal(12.5, value.Value);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), value.Timestamp);
        Assert.False(value.UsedArrivalTime);
    }

    [Fact]
    public void Nested_paths_with_indexes_reach_the_value()
    {
        var value = Assert.Single(Parse("{\"data\":{\"channels\":[{\"e\":1},{\"e\":2.75}]}}", new PayloadSpec("$.data.channels[1].e")).Values);

        Assert.Equal(2.75, value.Value);
        Assert.True(value.UsedArrivalTime);
    }

    [Fact]
    public void An_array_carries_several_meters_each_with_its_own_time()
    {
        var values = Parse("""{"readings":[{"id":"w1","v":10,"t":1772323200},{"id":"w2","v":20,"t":1772323260}]}""",
            new PayloadSpec("v", "t", "$.readings", "id")).Values;

        Assert.Equal([("w1", 10.0), ("w2", 20.0)], values.Select(v => (v.Meter!, v.Value)));
        Assert.Equal(60, (values[1].Timestamp - values[0].Timestamp).TotalSeconds);
    }

    [Fact]
    public void An_object_keyed_by_meter_carries_several_meters()
    {
        var values = Parse("""{"meters":{"g1":{"total":5},"g2":{"total":6}}}""", new PayloadSpec("total", null, "$.meters")).Values;

        Assert.Equal([("g1", 5.0), ("g2", 6.0)], values.Select(v => (v.Meter!, v.Value)));
    }

    public static TheoryData<string, PayloadSpec, QuarantineReason> BadPayloads => new()
    {
        { "{\"total\": 1", Json, QuarantineReason.MalformedJson },
        { "{total: 1}", Json, QuarantineReason.MalformedJson },
        { "", Json, QuarantineReason.MalformedJson },
        { "\u0000\u0001\u0002", Json, QuarantineReason.MalformedJson },
        { "[1,2,", Json, QuarantineReason.MalformedJson },
        { "{\"totl\": 1}", Json, QuarantineReason.MissingField },
        { "{}", Json, QuarantineReason.MissingField },
        { "{\"total\": null}", Json, QuarantineReason.MissingField },
        { "[]", Json, QuarantineReason.MissingField },
        { "{\"readings\": 5}", new PayloadSpec("v", null, "$.readings", "id"), QuarantineReason.MissingField },
        { "{\"readings\": [{\"v\": 1}]}", new PayloadSpec("v", null, "$.readings", "id"), QuarantineReason.MissingField },
        { "{\"total\": \"abc\"}", Json, QuarantineReason.NotANumber },
        { "{\"total\": true}", Json, QuarantineReason.NotANumber },
        { "{\"total\": {\"v\": 1}}", Json, QuarantineReason.NotANumber },
        { "{\"total\": [1]}", Json, QuarantineReason.NotANumber },
        { "abc", new PayloadSpec(), QuarantineReason.NotANumber },
        { "12,5", new PayloadSpec(), QuarantineReason.NotANumber },
        { "", new PayloadSpec(), QuarantineReason.NotANumber },
        { "{\"total\": \"NaN\"}", Json, QuarantineReason.NonFinite },
        { "{\"total\": \"Infinity\"}", Json, QuarantineReason.NonFinite },
        { "{\"total\": \"-inf\"}", Json, QuarantineReason.NonFinite },
        { "NaN", new PayloadSpec(), QuarantineReason.NonFinite },
        { "-Infinity", new PayloadSpec(), QuarantineReason.NonFinite },
        { "1e999", new PayloadSpec(), QuarantineReason.NonFinite },
        { "{\"total\": 1, \"ts\": \"yesterday\"}", Json, QuarantineReason.BadTimestamp },
        { "{\"total\": 1, \"ts\": \"2026-03-01T08:00:00\"}", Json, QuarantineReason.BadTimestamp },
        { "{\"total\": 1, \"ts\": -5}", Json, QuarantineReason.BadTimestamp },
        { "{\"total\": 1, \"ts\": true}", Json, QuarantineReason.BadTimestamp },
        { "{\"total\": 1, \"ts\": \"2026-03-01T09:00:00+08:00\"}", Json, QuarantineReason.TimestampInFuture },
        { "{\"total\": 1, \"ts\": 1893456000}", Json, QuarantineReason.TimestampInFuture },
        { "{\"total\": 1, \"ts\": \"2026-02-01T08:00:00+08:00\"}", Json, QuarantineReason.TimestampTooOld },
        { "{\"total\": 1, \"ts\": 1000000000}", Json, QuarantineReason.TimestampTooOld },
    };

    [Theory]
    [MemberData(nameof(BadPayloads))]
    public void A_bad_payload_is_rejected_with_its_reason_and_yields_nothing(string payload, PayloadSpec spec, QuarantineReason reason)
    {
        var result = Parse(payload, spec);

        Assert.Equal(reason, result.Reason);
        Assert.Empty(result.Values);
        Assert.NotEmpty(result.Detail);
    }

    [Fact]
    public void A_payload_over_the_size_limit_is_rejected_before_parsing()
    {
        var big = "{\"total\": 1, \"pad\": \"" + new string('x', 70_000) + "\"}";

        Assert.Equal(QuarantineReason.TooLarge, Parse(big, Json).Reason);
    }
}
