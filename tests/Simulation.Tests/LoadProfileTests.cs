using EnergyMonitor.Core.Domain;
using EnergyMonitor.Site;
using EnergyMonitor.Site.Tests;

namespace EnergyMonitor.Simulation.Tests;

public sealed class LoadProfileTests
{
    [Fact]
    public void An_office_is_busier_at_10_on_a_weekday_than_at_3_at_night_or_on_sunday()
    {
        var tuesday10 = LoadProfile.Activity(Occupancy.Office, new DateTime(2025, 6, 10, 10, 0, 0));
        var tuesday3 = LoadProfile.Activity(Occupancy.Office, new DateTime(2025, 6, 10, 3, 0, 0));
        var sunday10 = LoadProfile.Activity(Occupancy.Office, new DateTime(2025, 6, 15, 10, 0, 0));

        Assert.True(tuesday10 > 3 * tuesday3);
        Assert.True(tuesday10 > 2 * sunday10);
    }

    [Fact]
    public void A_hospital_keeps_more_than_half_its_load_at_night()
    {
        Assert.True(LoadProfile.Activity(Occupancy.Hospital, new DateTime(2025, 6, 10, 3, 0, 0)) > 0.5);
    }

    [Fact]
    public void Summer_brings_cooling_load_and_winter_heating_load()
    {
        var (heatJul, coolJul) = LoadProfile.ClimateLoad(new DateOnly(2025, 7, 25));
        var (heatJan, coolJan) = LoadProfile.ClimateLoad(new DateOnly(2025, 1, 15));

        Assert.Equal(0, heatJul);
        Assert.True(coolJul > 0.5);
        Assert.Equal(0, coolJan);
        Assert.True(heatJan > 0.5);
    }

    [Fact]
    public void Simulated_parents_measure_at_least_the_sum_of_their_children()
    {
        var site = SiteConfigLoader.LoadText(SiteYaml.Valid, "site.yaml", SiteYaml.Now).Require();
        var simulation = new SimulatedSite(site, seed: 1);
        var from = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));

        var readings = simulation.Readings(from, from.AddDays(7)).ToList();

        Assert.Equal(7 * 96, readings.Count(r => r.Meter.Value == "total"));
        Assert.True(simulation.Used[new MeterId("total")] > simulation.Used[new MeterId("light")]);
        Assert.All(readings, r => Assert.Equal(ReadingQuality.Simulated, r.Quality));
    }

    [Fact]
    public void The_same_seed_gives_the_same_readings()
    {
        var site = SiteConfigLoader.LoadText(SiteYaml.Valid, "site.yaml", SiteYaml.Now).Require();
        var from = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));

        var a = new SimulatedSite(site, 7).Readings(from, from.AddDays(1)).ToList();
        var b = new SimulatedSite(site, 7).Readings(from, from.AddDays(1)).ToList();
        var c = new SimulatedSite(site, 8).Readings(from, from.AddDays(1)).ToList();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void A_counter_with_a_small_register_wraps_and_never_exceeds_it()
    {
        var yaml = SiteYaml.With("unit: m3", "unit: m3\n            rolloverAt: 9999.9");
        var site = SiteConfigLoader.LoadText(yaml, "site.yaml", SiteYaml.Now).Require();
        var from = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

        var water = new SimulatedSite(site, 3).Readings(from, from.AddDays(365)).Where(r => r.Meter.Value == "water").ToList();

        Assert.All(water, r => Assert.InRange(r.Value, 0, 9999.9));
        Assert.Contains(water.Zip(water.Skip(1)), pair => pair.Second.Value < pair.First.Value);
    }
}
