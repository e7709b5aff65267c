using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Testing;

namespace EnergyMonitor.Site.Tests;

public sealed class SiteConfigLoaderTests
{
    [Fact]
    public void A_new_years_facts_are_accepted_from_its_first_minute_in_the_sites_zone_and_the_year_after_is_refused()
    {
        // 00:05 on 1 January 2026 in Asia/Shanghai is still 2025 in UTC: the 2026 row was refused as a future year.
        var yaml = SiteYaml.Valid.Replace("- { year: 2025, floorArea: 10000, occupants: 290 }", "- { year: 2026, floorArea: 10000, occupants: 290 }", StringComparison.Ordinal);
        var firstMinute = new DateTimeOffset(2026, 1, 1, 0, 5, 0, TimeSpan.FromHours(8)).ToUniversalTime();

        Assert.True(SiteConfigLoader.LoadText(yaml, "site.yaml", firstMinute).IsValid);
        var early = SiteConfigLoader.LoadText(yaml.Replace("year: 2026", "year: 2027", StringComparison.Ordinal), "site.yaml", firstMinute);
        Assert.Contains(early.Errors, e => e.Path.EndsWith("facts[1].year", StringComparison.Ordinal));
    }

    [Fact]
    public void The_valid_base_site_loads_into_the_domain_model()
    {
        var result = SiteConfigLoader.LoadText(SiteYaml.Valid, "site.yaml", SiteYaml.Now);

        Assert.Empty(result.Errors);
        var site = result.Require();
        Assert.Equal(2, site.Institutions.Count);
        Assert.Equal(5, site.Meters.Count());
        Assert.Equal("Asia/Shanghai", site.TimeZone.Id);
    }

    [Fact]
    public void A_nameplate_ratio_200_over_5_becomes_a_multiplier_of_40()
    {
        var total = Meter("total");

        Assert.Equal(40, total.Multiplier.Ct);
        Assert.Equal(1, total.Multiplier.Pt);
        // 12.5 kWh on the secondary side × 40 = 500 kWh.
        Assert.Equal(500, total.ToCanonical(12.5), 9);
    }

    [Fact]
    public void A_heat_meter_counting_MWh_stores_GJ()
    {
        var heat = Meter("hw");

        // 1 MWh = 3600 MJ = 3.6 GJ.
        Assert.Equal(3.6, heat.ToCanonical(1), 12);
        Assert.Equal(EnergyKind.Heat, heat.Kind);
        Assert.Equal("04000", heat.Item?.Code);
    }

    [Fact]
    public void Defaults_fill_what_a_meter_leaves_out()
    {
        var meter = Meter("school-total");

        Assert.Equal("kWh", meter.Unit.Symbol);
        Assert.Equal(ReadingMode.Cumulative, meter.Mode);
        Assert.Equal(TimeSpan.FromMinutes(15), meter.Interval);
        Assert.IsType<ManualSource>(meter.Source);
        Assert.Equal("01000", meter.Item?.Code);
    }

    [Fact]
    public void A_replacement_keeps_its_instant_and_both_counter_values()
    {
        var replacement = Assert.Single(Meter("hw").Replacements);

        Assert.Equal(new DateTimeOffset(2024, 3, 1, 2, 0, 0, TimeSpan.Zero), replacement.At.ToUniversalTime());
        Assert.Equal(812.5, replacement.OldFinalReading);
        Assert.Equal(0, replacement.NewInitialReading);
    }

    [Fact]
    public void Targets_default_to_the_national_14th_five_year_reductions()
    {
        var site = SiteConfigLoader.LoadText(SiteYaml.Valid, "site.yaml", SiteYaml.Now).Require();

        var targets = site.Institutions[0].Targets!;

        Assert.Equal((-0.05, -0.06, -0.06, -0.07), (targets.EnergyPerArea, targets.EnergyPerPerson, targets.WaterPerPerson, targets.Co2PerArea));
    }

    [Fact]
    public void The_shipped_example_site_is_valid_and_as_large_as_the_demo_needs()
    {
        var path = Path.Combine(Repository.Root(), "config", "site.yaml");

        var result = SiteConfigLoader.Load(path, DateTimeOffset.UtcNow);

        Assert.Empty(result.Errors);
        var site = result.Require();
        Assert.True(site.Institutions.Count >= 2);
        Assert.True(site.Buildings.Count() >= 4);
        Assert.True(site.Meters.Count() >= 20);
        var kinds = site.Meters.Select(m => m.Kind).ToHashSet();
        Assert.Superset(new HashSet<EnergyKind> { EnergyKind.Electricity, EnergyKind.Water, EnergyKind.NaturalGas, EnergyKind.Heat }, kinds);
        var subItems = site.Meters.Select(m => m.Item?.Code[..3]).ToHashSet();
        Assert.Superset(new HashSet<string?> { "01A", "01B", "01C", "01D" }, subItems);
    }

    private static Meter Meter(string id) =>
        SiteConfigLoader.LoadText(SiteYaml.Valid, "site.yaml", SiteYaml.Now).Require().Meters.Single(m => m.Id.Value == id);
}
