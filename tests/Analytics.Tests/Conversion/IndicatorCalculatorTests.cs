using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Indicators;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Analytics.Tests.Conversion;

/// <summary>An institution's year to date from daily rollups, worked by hand.</summary>
public sealed class IndicatorCalculatorTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static DateTimeOffset Local(int y, int m, int d) => new(y, m, d, 0, 0, 0, TimeSpan.FromHours(8));

    private static IEnumerable<RollupRow> Days(string series, DateTimeOffset from, DateTimeOffset to, double perDay, double estimated = 0)
    {
        for (var d = from; d < to; d = d.AddDays(1))
        {
            yield return new RollupRow(series, RollupPeriod.Day, d, perDay, estimated, 0, IntervalFlags.None, 96);
        }
    }

    [Fact]
    public void Seventy_four_days_of_1000_kWh_against_1100_last_year_is_9094_6_kgce_and_minus_9_09_percent()
    {
        // Through 16 March 2026: 31 + 28 + 15 = 74 days. 74,000 kWh × 0.1229 = 9,094.6 kgce (CN-2023, the newest set);
        // last year 74 × 1,100 = 81,400 kWh: 74/81.4 − 1 = −9.09 %. On 5,000 m² and 100 people: 1.81892 kgce/m²,
        // 90.946 kgce/person; water 740 m³: 7.4 m³/person. CO2 74,000 × 0.5306 = 39,264.4 kg. March 1–15 equals
        // February 1–15: month on month 0. Energy per m² −9.09 % meets the −5 % target against 2025.
        var institution = new Institution("inst", "机关", "11320117MB0123456D", "01",
            [new YearFacts(2025, new Quantity<SquareMetre>(5000), 100, 90, 2), new YearFacts(2026, new Quantity<SquareMetre>(5000), 100, 90, 2)],
            new Targets(2025, 2026), []);
        var site = new SiteModel("site", new Region("320117", "溧水区", Beijing), [], [institution]);
        var daily = Days("institution/inst/electricity", Local(2025, 1, 1), Local(2026, 1, 1), 1100)
            .Concat(Days("institution/inst/electricity", Local(2026, 1, 1), Local(2026, 3, 16), 1000, estimated: 10))
            .Concat(Days("institution/inst/water", Local(2026, 1, 1), Local(2026, 3, 16), 10))
            .ToList();

        var i = IndicatorCalculator.Compute(site, institution, Local(2026, 3, 16), daily, CoefficientCatalog.Defaults);

        Assert.Equal("CN-2023", i.CoefficientSet);
        Assert.Equal(74_000, i.UseByKind["electricity"], 9);
        Assert.Equal(9_094.6, i.Kgce, 6);
        Assert.Equal(39_264.4, i.Co2, 6);
        Assert.Equal(1.81892, i.EnergyPerArea!.Value, 9);
        Assert.Equal(90.946, i.EnergyPerPerson!.Value, 9);
        Assert.Equal(7.4, i.WaterPerPerson!.Value, 9);
        Assert.Equal(74.0 / 81.4 - 1, i.EnergyYearOnYear!.Value, 9);
        Assert.Equal(0, i.EnergyMonthOnMonth!.Value, 9);
        Assert.True(i.Targets.Single(t => t.Indicator == IndicatorId.EnergyPerArea).Met);
        Assert.Equal(0.01, i.EstimatedShareByKind["electricity"], 9); // 10 of 1,000 kWh a day estimated
        Assert.Equal(0, i.EstimatedShareByKind["water"]);
    }

    [Fact]
    public void Without_the_years_facts_per_person_and_per_m2_are_left_out_and_the_reason_given()
    {
        var institution = new Institution("inst", "机关", "11320117MB0123456D", "01", [], null, []);
        var site = new SiteModel("site", new Region("320117", "溧水区", Beijing), [], [institution]);
        var daily = Days("institution/inst/electricity", Local(2026, 1, 1), Local(2026, 2, 1), 1000).ToList();

        var i = IndicatorCalculator.Compute(site, institution, Local(2026, 2, 1), daily, CoefficientCatalog.Defaults);

        Assert.Null(i.EnergyPerArea);
        Assert.Null(i.EnergyPerPerson);
        Assert.Contains(i.Notes, n => n.En.Contains("no facts", StringComparison.Ordinal) && n.Zh.Contains("没有基本情况", StringComparison.Ordinal));
    }

    [Fact]
    public void A_year_the_site_file_has_no_facts_for_leaves_its_targets_out_and_every_number_is_finite_JSON()
    {
        // The first of January of a year whose facts the site file does not yet have (found at 30 April 2027 under
        // the demo's clock): targets against 2025 cannot be assessed, and the job that stores the indicators as JSON
        // used to fail on the NaN that stood in for them.
        var institution = new Institution("inst", "机关", "11320117MB0123456D", "01",
            [new YearFacts(2025, new Quantity<SquareMetre>(5000), 100, 90, 2)], new Targets(2025, 2030), []);
        var site = new SiteModel("site", new Region("320117", "溧水区", Beijing), [], [institution]);
        var daily = Days("institution/inst/electricity", Local(2025, 1, 1), Local(2027, 4, 30), 1000).ToList();

        var i = IndicatorCalculator.Compute(site, institution, Local(2027, 4, 30), daily, CoefficientCatalog.Defaults);

        Assert.Empty(i.Targets);
        Assert.Contains(i.Notes, n => n.En.Contains("no facts", StringComparison.Ordinal) && n.Zh.Contains("没有基本情况", StringComparison.Ordinal));
        var json = System.Text.Json.JsonSerializer.Serialize(i);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Through_the_first_instant_of_a_year_is_the_whole_previous_year()
    {
        // A past year's scorecard asks for the indicators through 1 January of the next year: that is all of 2025
        // (365 × 1,000 kWh), with December as the month, never an empty 2026.
        var institution = new Institution("inst", "机关", "11320117MB0123456D", "01", [new YearFacts(2025, new Quantity<SquareMetre>(5000), 100, 90, 2)], null, []);
        var site = new SiteModel("site", new Region("320117", "溧水区", Beijing), [], [institution]);
        var daily = Days("institution/inst/electricity", Local(2025, 1, 1), Local(2026, 1, 1), 1000).ToList();

        var i = IndicatorCalculator.Compute(site, institution, Local(2026, 1, 1), daily, CoefficientCatalog.Defaults);

        Assert.Equal(2025, i.Year);
        Assert.Equal(365_000, i.UseByKind["electricity"], 9);
        Assert.Equal(0, i.EnergyMonthOnMonth!.Value, 9); // December's 31 days against November's first 31 (30 + 1 of December)
    }
}
