using EnergyMonitor.Acquisition.Mqtt;

namespace EnergyMonitor.Acquisition.Tests.Mqtt;

public sealed class TopicPatternTests
{
    private static TopicPattern Parse(string pattern)
    {
        Assert.True(TopicPattern.TryParse(pattern, out var result, out var error), error);
        return result!;
    }

    [Fact]
    public void Captures_become_single_level_wildcards_in_the_filter()
    {
        var pattern = Parse("energy/{building}/{meter}/reading");

        Assert.Equal("energy/+/+/reading", pattern.Filter);
        Assert.Equal(["building", "meter"], pattern.CaptureNames);
    }

    [Fact]
    public void A_matching_topic_yields_its_segments_by_name()
    {
        var captures = Parse("energy/{building}/{meter}/reading").Match("energy/admin-main/adm-main-water/reading");

        Assert.NotNull(captures);
        Assert.Equal("admin-main", captures["building"]);
        Assert.Equal("adm-main-water", captures["meter"]);
        Assert.Equal("admin-main-adm-main-water", TopicPattern.Expand("{building}-{meter}", captures));
    }

    [Theory]
    [InlineData("energy/b1/m1")]
    [InlineData("energy/b1/m1/reading/extra")]
    [InlineData("other/b1/m1/reading")]
    [InlineData("energy//m1/reading")]
    public void Topics_of_another_shape_do_not_match(string topic)
    {
        Assert.Null(Parse("energy/{building}/{meter}/reading").Match(topic));
    }

    [Fact]
    public void A_trailing_hash_matches_any_rest()
    {
        var pattern = Parse("gw/{gateway}/#");

        Assert.Equal("gw/+/#", pattern.Filter);
        Assert.Equal("g7", pattern.Match("gw/g7/a/b/c")?["gateway"]);
    }

    [Theory]
    [InlineData("energy/#/x", "'#'")]
    [InlineData("energy/pre{meter}", "whole level")]
    [InlineData("energy/{meter}/{meter}", "twice")]
    [InlineData("energy/a+b", "wildcards must be whole levels")]
    [InlineData("", "empty")]
    public void Malformed_patterns_say_why(string pattern, string reason)
    {
        Assert.False(TopicPattern.TryParse(pattern, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Expansion_with_a_missing_capture_is_null()
    {
        Assert.Null(TopicPattern.Expand("{meter}", new Dictionary<string, string>()));
    }
}
