using EnergyMonitor.Acquisition.Mqtt;
using EnergyMonitor.Acquisition.Pipeline;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Site;
using EnergyMonitor.Site.Tests;

namespace EnergyMonitor.Acquisition.Tests.Pipeline;

/// <summary>
/// An outdoor temperature sensor is read like a meter (over MQTT here; Modbus goes through the same pipeline) but is
/// a gauge: negative values are good readings, a disconnected probe's value is flagged, and it joins no consumption.
/// </summary>
public sealed class TemperatureMeterTests
{
    private const string Sensor = """
                  - id: roof-temp
                    name: 屋顶温度
                    kind: temperature
                    intervalMinutes: 60
                    mqtt: { topic: site/b1/temp, field: $.t }
                  - id: water
        """;

    private static readonly SiteModel Site = SiteConfigLoader.LoadText(SiteYaml.With("          - id: water", Sensor).Replace("class: B", "class: B\n        weatherStation: roof-temp"), "site.yaml", SiteYaml.Now).Require();

    private static readonly DateTimeOffset T = new(2026, 1, 10, 6, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void A_temperature_meter_loads_as_a_gauge_in_degrees_Celsius_without_an_item_code()
    {
        var sensor = Site.Meters.Single(m => m.Id.Value == "roof-temp");

        Assert.True(sensor.IsGauge);
        Assert.Equal("°C", sensor.CanonicalUnit.Symbol);
        Assert.Null(sensor.Item);
        Assert.Equal("roof-temp", Site.Buildings.First().WeatherStation);
    }

    [Fact]
    public void An_item_code_on_a_temperature_meter_is_a_config_error_naming_the_field()
    {
        var result = SiteConfigLoader.LoadText(SiteYaml.With("          - id: water", Sensor.Replace("kind: temperature", "kind: temperature\n            item: \"01000\"")), "site.yaml", SiteYaml.Now);

        var error = Assert.Single(result.Errors);
        Assert.Contains("item", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("temperature", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"t\": -7.5}", -7.5, true)] // a January night
    [InlineData("{\"t\": 38.2}", 38.2, true)]
    [InlineData("{\"t\": -3276.8}", -3276.8, false)] // a probe disconnected: the int16 minimum × 0.1
    [InlineData("{\"t\": 850}", 850, false)] // a DS18B20's power-on value
    public void Mqtt_temperatures_are_stored_and_only_impossible_ones_are_flagged(string payload, double value, bool usable)
    {
        var mapper = new MessageMapper(Site, [], PayloadLimits.Default);
        var normalizer = new SampleNormalizer(Site);

        var sample = Assert.Single(mapper.Map("site/b1/temp", System.Text.Encoding.UTF8.GetBytes(payload), T).Samples);
        Assert.True(normalizer.TryNormalize(sample, out var reading));

        Assert.Equal(value, reading.Value, 9);
        Assert.Equal(usable, reading.IsUsable);
    }

    [Fact]
    public void A_temperature_meter_joins_no_consumption_series()
    {
        var groups = SeriesGroups.For(Site);

        Assert.DoesNotContain(groups, g => g.Members.Contains("roof-temp"));
        Assert.DoesNotContain(groups, g => g.Series.EndsWith("/temperature", StringComparison.Ordinal));
    }
}
