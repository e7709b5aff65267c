using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Reports.Tests;

/// <summary>The report model ties out to what the meters counted, through the real engine and store.</summary>
[Collection("report")]
public sealed class ReportModelTests(ReportFixture fixture)
{
    [Fact]
    public void Totals_equal_what_the_counters_advanced_in_the_month_and_convert_by_the_named_set()
    {
        var electricity = fixture.Report.Totals.Single(t => t.Kind == EnergyKind.Electricity);
        var water = fixture.Report.Totals.Single(t => t.Kind == EnergyKind.Water);

        Assert.Equal(fixture.Expected.Oct26, electricity.Amount, 6);
        Assert.Equal(fixture.Expected.Water26, water.Amount, 6);
        Assert.Equal("CN-2023", fixture.Report.CoefficientSetId);
        Assert.Equal(fixture.Expected.Oct26 * 0.1229, electricity.Kgce!.Value, 6); // GB/T 2589-2020 当量值
        Assert.Equal(electricity.Kgce.Value, fixture.Report.TotalKgce, 6); // water is outside 综合能耗
        Assert.Equal(0, electricity.EstimatedShare);
        Assert.Equal(0, electricity.DaysMissing);
    }

    [Fact]
    public void Costs_follow_the_time_of_use_bands_hour_by_hour_and_flat_prices_by_amount()
    {
        var electricity = fixture.Report.Totals.Single(t => t.Kind == EnergyKind.Electricity);
        var water = fixture.Report.Totals.Single(t => t.Kind == EnergyKind.Water);

        Assert.Equal(fixture.ExpectedElectricityCost, electricity.Cost!.Value, 6);
        Assert.Equal(fixture.Expected.Water26 * 5.0, water.Cost!.Value, 6);
        Assert.Equal(electricity.Cost.Value + water.Cost.Value, fixture.Report.TotalCost, 6);
    }

    [Fact]
    public void Year_on_year_compares_with_october_of_last_year()
    {
        var electricity = fixture.Report.Totals.Single(t => t.Kind == EnergyKind.Electricity);

        Assert.Equal((fixture.Expected.Oct26 - fixture.Expected.Oct25) / fixture.Expected.Oct25, electricity.YearOnYear!.Value, 9);
        Assert.NotNull(fixture.Report.TotalKgceYearOnYear);
    }

    [Fact]
    public void The_item_tree_puts_the_sub_metered_lighting_under_electricity_with_the_rest_unmetered()
    {
        var electricity = fixture.Report.Items.Single(i => i.Code == "01000");

        Assert.Equal(fixture.Expected.Oct26, electricity.Amount, 6);
        Assert.Equal(fixture.Expected.Light26, electricity.Children.Single(c => c.Code == "01A00").Amount, 6);
        Assert.Equal(fixture.Expected.Oct26 - fixture.Expected.Light26, electricity.Children.Single(c => c.Name.Zh == "未分项计量").Amount, 6);
        Assert.Equal(electricity.Amount, electricity.Children.Sum(c => c.Amount), 6);
    }

    [Fact]
    public void Indicators_divide_by_the_regions_facts()
    {
        var perArea = fixture.Report.Indicators.Single(i => i.Indicator == IndicatorId.EnergyPerArea);
        var perPerson = fixture.Report.Indicators.Single(i => i.Indicator == IndicatorId.EnergyPerPerson);

        Assert.Equal(fixture.Report.TotalKgce / 10_000, perArea.Value!.Value, 9);
        Assert.Equal(fixture.Report.TotalKgce / 400, perPerson.Value!.Value, 9);
    }

    [Fact]
    public void The_profile_and_heatmap_hold_the_months_electricity_by_hour()
    {
        var heatmap = fixture.Report.Heatmap!;

        Assert.Equal(24, heatmap.GetLength(0));
        Assert.Equal(31, heatmap.GetLength(1));
        Assert.Equal(fixture.Expected.Oct26, heatmap.Cast<double>().Sum(), 6);
        Assert.True(fixture.Report.Profile!.WorkingDays[10] > fixture.Report.Profile.DaysOff[10]); // 10:00 busy on working days only
        Assert.Equal(80, fixture.Report.Profile.WorkingDays[10], 6); // (6 + 14) kWh a quarter, four quarters
    }
}
