using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Indicators;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Analytics.Tests.Conversion;

/// <summary>Worked examples against docs/DOMAIN.md (coefficients, indicators, targets).</summary>
public sealed class ConversionAndIndicatorTests
{
    [Fact]
    public void A_year_of_1_000_000_kWh_and_50_000_m3_gas_is_183_615_kgce_and_644_700_kgCO2_by_the_2022_set()
    {
        // kgce: 1,000,000 × 0.1229 + 50,000 × 1.2143 = 122,900 + 60,715 = 183,615.
        // CO2:  1,000,000 × 0.5366 + 50,000 × 2.162  = 536,600 + 108,100 = 644,700. Water is not energy.
        var set = CoefficientCatalog.Defaults.For(2022, "320117");
        var result = EnergyConversion.Convert(new Dictionary<EnergyKind, double>
        {
            [EnergyKind.Electricity] = 1_000_000,
            [EnergyKind.NaturalGas] = 50_000,
            [EnergyKind.Water] = 20_000,
        }, set);

        Assert.Equal("CN-2022", result.SetId);
        Assert.Equal(183_615, result.Kgce.Value, 6);
        Assert.Equal(183.615, result.Tce.Value, 9);
        Assert.Equal(644_700, result.Co2.Value, 6);
        Assert.Empty(result.WithoutKgceFactor);
    }

    [Fact]
    public void The_set_is_chosen_by_year_latest_start_in_or_before_it()
    {
        Assert.Equal("CN-2021", CoefficientCatalog.Defaults.For(2021, "320117").Id);
        Assert.Equal("CN-2023", CoefficientCatalog.Defaults.For(2025, "320117").Id); // the newest published factor carries on
        Assert.Throws<InvalidOperationException>(() => CoefficientCatalog.Defaults.For(2019, "320117"));
    }

    [Fact]
    public void A_provincial_set_on_the_equivalent_input_basis_wins_over_the_national_one_for_its_region()
    {
        // Jiangsu (32…) counting electricity at 0.31 kgce/kWh from 2024: 1,000 kWh = 310 kgce; Anhui (34…) keeps 122.9.
        var national = CoefficientCatalog.Defaults.For(2024, "320117");
        var jiangsu = national with { Id = "JS-2024", Region = "32", FromYear = 2024, Basis = ElectricityBasis.EquivalentInput };
        var catalog = new CoefficientCatalog([.. CoefficientCatalog.Defaults.Sets, jiangsu]);
        var use = new Dictionary<EnergyKind, double> { [EnergyKind.Electricity] = 1_000 };

        Assert.Equal(310, EnergyConversion.Convert(use, catalog.For(2024, "320117")).Kgce.Value, 9);
        Assert.Equal(122.9, EnergyConversion.Convert(use, catalog.For(2024, "340104")).Kgce.Value, 9);
    }

    [Fact]
    public void Every_default_coefficient_names_its_source()
    {
        Assert.All(CoefficientCatalog.Defaults.Sets.SelectMany(s => s.KgcePerUnit.Values.Concat(s.Co2PerUnit.Values)), f => Assert.False(string.IsNullOrWhiteSpace(f.Source)));
    }

    [Fact]
    public void District_cooling_has_no_default_factor_and_is_named_not_counted_as_zero()
    {
        var result = EnergyConversion.Convert(new Dictionary<EnergyKind, double> { [EnergyKind.Cooling] = 10 }, CoefficientCatalog.Defaults.For(2023, "320117"));

        Assert.Equal([EnergyKind.Cooling], result.WithoutKgceFactor);
    }

    [Fact]
    public void The_2020_national_baseline_per_person_and_per_m2_reproduce_from_totals()
    {
        // 329.56 kgce/person × 200 people = 65,912 kgce; over 3,566.67 m² that is 18.48 kgce/m².
        var total = new Quantity<Kgce>(65_912);
        Assert.Equal(329.56, Indicators.Indicators.EnergyPerPerson(total, 200)!.Value, 9);
        Assert.Equal(18.48, Indicators.Indicators.EnergyPerArea(total, new Quantity<SquareMetre>(65_912 / 18.48))!.Value, 9);
        Assert.Null(Indicators.Indicators.EnergyPerPerson(total, 0));
    }

    [Fact]
    public void Energy_per_m2_from_18_48_to_17_50_is_minus_5_3_percent_which_meets_the_minus_5_percent_target()
    {
        // (17.50 − 18.48) / 18.48 = −0.05303.
        var met = Indicators.Indicators.Attainment(IndicatorId.EnergyPerArea, 18.48, 17.50, -0.05)!;
        var missed = Indicators.Indicators.Attainment(IndicatorId.EnergyPerPerson, 329.56, 312.00, -0.06)!; // −5.33 % of −6 %

        Assert.Equal(-0.05303, met.AchievedChange!.Value, 5);
        Assert.True(met.Met);
        Assert.False(missed.Met);
    }

    [Fact]
    public void Year_on_year_from_zero_is_undefined_not_infinite()
    {
        Assert.Null(Change.Between(10, 0).Fraction);
        Assert.Equal(0.25, Change.Between(125, 100).Fraction!.Value, 12);
    }

    [Fact]
    public void Ten_days_into_a_30_day_month_4_000_of_a_10_000_quota_projects_12_000_and_warns()
    {
        var progress = Indicators.Indicators.Quota(4_000, 10_000, TimeSpan.FromDays(10), TimeSpan.FromDays(30));

        Assert.Equal(0.4, progress.ShareUsed, 12);
        Assert.Equal(12_000, progress.ProjectedMonth, 9);
        Assert.True(progress.OnCourseToExceed);
    }
}
