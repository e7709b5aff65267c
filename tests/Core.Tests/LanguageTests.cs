using System.Text.Json;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Core.Tests;

public sealed class LanguageTests
{
    [Theory]
    [InlineData("zh", false)]
    [InlineData("zh-CN", false)]
    [InlineData("ZH_cn", false)]
    [InlineData("en", true)]
    [InlineData("en-US", true)]
    [InlineData(" EN ", true)]
    public void A_code_with_or_without_its_region_parses_to_its_language(string text, bool english)
    {
        Assert.True(Language.TryParse(text, out var language));
        Assert.Equal(english, language.IsEnglish);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fr")]
    [InlineData("english")]
    [InlineData("e")]
    [InlineData(null)]
    public void Anything_else_is_not_a_language(string? text)
    {
        Assert.False(Language.TryParse(text, out _));
        Assert.False(Language.FromQuery(text).IsEnglish); // a page still answers, in the default language
    }

    [Fact]
    public void Each_language_has_one_code_that_parses_back_and_the_default_is_Chinese()
    {
        Assert.Equal(["zh", "en"], Language.All.Select(l => l.Code));
        Assert.All(Language.All, l => Assert.Equal(l, Language.Parse(l.Code)));
        Assert.Equal(Language.Chinese, default);
        Assert.Equal("zh-CN", Language.Chinese.Tag);
        Assert.Throws<FormatException>(() => Language.Parse("de"));
    }

    [Fact]
    public void A_text_is_read_in_the_language_asked_for()
    {
        var text = new LocalizedText("总览", "Overview");

        Assert.Equal("总览", text.In(Language.Chinese));
        Assert.Equal("Overview", text.In(Language.English));
    }

    [Fact]
    public void A_text_round_trips_through_json_and_a_bare_string_stored_earlier_reads_as_both()
    {
        var text = new LocalizedText("超出正常的用量", "excess");

        Assert.Equal(text, JsonSerializer.Deserialize<LocalizedText>(JsonSerializer.Serialize(text)));
        Assert.Equal(new LocalizedText("excess", "excess"), JsonSerializer.Deserialize<LocalizedText>("\"excess\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<LocalizedText>("42"));
    }
}

public sealed class IndicatorIdTests
{
    [Fact]
    public void Each_indicator_has_one_id_that_parses_back()
    {
        Assert.Equal(["energy-per-area", "energy-per-person", "water-per-person", "co2-per-area"], IndicatorId.All.Select(i => i.Id));
        Assert.All(IndicatorId.All, i => Assert.Same(i, IndicatorId.Parse(i.ToString())));
        Assert.False(IndicatorId.TryParse("energy per m²", out _)); // the prose name is not an id
        Assert.Throws<FormatException>(() => IndicatorId.Parse("energy-per-floor"));
    }

    [Fact]
    public void Json_carries_the_id_and_reads_the_prose_names_stored_before()
    {
        Assert.Equal("\"energy-per-area\"", JsonSerializer.Serialize(IndicatorId.EnergyPerArea));
        Assert.Same(IndicatorId.Co2PerArea, JsonSerializer.Deserialize<IndicatorId>("\"co2-per-area\""));
        Assert.Same(IndicatorId.EnergyPerArea, JsonSerializer.Deserialize<IndicatorId>("\"energy per m²\""));
        Assert.Same(IndicatorId.WaterPerPerson, JsonSerializer.Deserialize<IndicatorId>("\"water per person\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<IndicatorId>("\"kgce\""));
    }
}
