using EnergyMonitor.Analytics.Assessment;

namespace EnergyMonitor.Analytics.Tests.Assessment;

/// <summary>
/// The CalTRACK daily baseline on synthetic years generated from known models with noise (it must find the model
/// back), and worked examples of the fit metrics and the fractional savings uncertainty.
/// </summary>
public sealed class CalTrackDailyTests
{
    private static readonly DateOnly Start = new(2024, 1, 1);

    /// <summary>A year of daily mean temperatures like a hot-summer-cold-winter city: about 3 °C in January, 29 °C in July.</summary>
    private static double[] Temperatures(int seed, int days = 366)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, days).Select(d => 16 - (13 * Math.Cos(2 * Math.PI * (d - 15) / 365.0)) + (3 * Gaussian(random)))];
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static List<DailyUse> Year(Func<double, double> truth, double noise, int seed, int days = 366)
    {
        var random = new Random(seed + 1);
        var temps = Temperatures(seed, days);
        return [.. temps.Select((t, d) => new DailyUse(Start.AddDays(d), Math.Max(0.1, truth(t) + (noise * Gaussian(random))), t))];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void An_office_heated_and_cooled_electrically_is_found_back_as_HDD_plus_CDD(int seed)
    {
        // 100 kWh a day, 8 per heating degree-day below 14 °C and 12 per cooling degree-day above 20 °C, noise 5 kWh.
        var days = Year(t => 100 + (8 * DegreeDays.Heating(t, 14)) + (12 * DegreeDays.Cooling(t, 20)), 5, seed);

        var model = CalTrackDaily.Fit(days, isElectricity: true).Model!;

        Assert.Equal(ModelType.HddCdd, model.Type);
        Assert.InRange(model.HeatingBalanceC!.Value, 12.5, 15.5); // within one grid step of 1.5 °C
        Assert.InRange(model.CoolingBalanceC!.Value, 18.5, 21.5);
        Assert.InRange(model.HeatingSlope, 8 * 0.85, 8 * 1.15);
        Assert.InRange(model.CoolingSlope, 12 * 0.85, 12 * 1.15);
        Assert.InRange(model.Intercept, 90, 110);
        Assert.True(model.Fit.PassesGuideline14, string.Join("; ", model.Fit.Verdicts));
    }

    [Fact]
    public void A_gas_boiler_is_found_back_as_HDD_only_and_gas_gets_no_cooling_candidate()
    {
        // 20 m³ a day for hot water and kitchens, 5 m³ per heating degree-day below 16 °C.
        var days = Year(t => 20 + (5 * DegreeDays.Heating(t, 16)), 3, seed: 4);

        var model = CalTrackDaily.Fit(days, isElectricity: false).Model!;

        Assert.Equal(ModelType.HddOnly, model.Type);
        Assert.InRange(model.HeatingBalanceC!.Value, 14.5, 17.5);
        Assert.InRange(model.HeatingSlope, 5 * 0.9, 5 * 1.1);
        Assert.Null(model.CoolingBalanceC);
    }

    [Fact]
    public void A_server_room_that_only_cools_is_found_back_as_CDD_only()
    {
        var days = Year(t => 200 + (15 * DegreeDays.Cooling(t, 22)), 8, seed: 5);

        var model = CalTrackDaily.Fit(days, isElectricity: true).Model!;

        // Without a significance test (CalTRACK 2.0 has none) noise may buy a heating term; it must stay negligible.
        Assert.Contains(model.Type, new[] { ModelType.CddOnly, ModelType.HddCdd });
        Assert.InRange(model.CoolingBalanceC!.Value, 20.5, 23.5);
        Assert.InRange(model.CoolingSlope, 15 * 0.85, 15 * 1.15);
        Assert.True(HeatingShare(model, days) < 0.01, $"heating explains {HeatingShare(model, days):P2} of the year's use");
    }

    /// <summary>The share of the year's predicted use that the model puts down to heating.</summary>
    private static double HeatingShare(BaselineModel model, List<DailyUse> days) =>
        model.HeatingBalanceC is { } h ? days.Sum(d => model.HeatingSlope * DegreeDays.Heating(d.MeanTempC!.Value, h)) / days.Sum(d => model.Predict(d.MeanTempC!.Value)) : 0;

    private static double CoolingShare(BaselineModel model, List<DailyUse> days) =>
        model.CoolingBalanceC is { } c ? days.Sum(d => model.CoolingSlope * DegreeDays.Cooling(d.MeanTempC!.Value, c)) / days.Sum(d => model.Predict(d.MeanTempC!.Value)) : 0;

    [Fact]
    public void Use_that_does_not_follow_the_weather_is_put_down_to_the_intercept()
    {
        var days = Year(_ => 300, 10, seed: 6);

        var model = CalTrackDaily.Fit(days, isElectricity: true).Model!;

        // Whatever shape wins on noise, weather explains under 1 % of the year and the intercept is the mean within 1 %.
        Assert.True(HeatingShare(model, days) + CoolingShare(model, days) < 0.01, $"{model.Type}: weather explains {HeatingShare(model, days) + CoolingShare(model, days):P2}");
        Assert.InRange(model.Intercept, 297, 303);
    }

    [Fact]
    public void The_intercept_only_model_is_the_mean_with_adjusted_R2_of_zero()
    {
        var fit = FitMetrics.Of([290, 300, 310], [300, 300, 300], parameters: 1);

        Assert.Equal(0, fit.AdjustedR2);
        Assert.Equal(0, fit.R2, 12);
    }

    [Fact]
    public void Savings_of_a_tenth_after_a_retrofit_are_found_within_their_uncertainty()
    {
        Func<double, double> truth = t => 100 + (8 * DegreeDays.Heating(t, 14)) + (12 * DegreeDays.Cooling(t, 20));
        var baseline = Year(truth, 5, seed: 7);
        var model = CalTrackDaily.Fit(baseline, isElectricity: true).Model!;
        var reporting = Year(t => 0.9 * truth(t), 5, seed: 8, days: 365).Select(d => d with { Date = d.Date.AddDays(366) }).ToList();

        var savings = SavingsCalculator.Compute(model, reporting);

        Assert.InRange(savings.Fraction, 0.085, 0.115);
        Assert.Equal(savings.Predicted - savings.Actual, savings.Avoided, 6);
        Assert.NotNull(savings.FractionalUncertainty);
        Assert.InRange(savings.FractionalUncertainty!.Value, 0.001, 0.5); // stated: a clean year's savings are known to better than ±50 %
        Assert.Equal(365, savings.ReportingDays);
    }

    [Fact]
    public void Fit_metrics_worked_example_of_four_days_and_two_parameters()
    {
        // Actual 10, 12, 14, 16 (mean 13), predicted 11, 12, 13, 17: residuals −1, 0, 1, −1.
        // SSres = 3, SStot = 9 + 1 + 1 + 9 = 20 → R² = 0.85; adjusted with one slope: 1 − 0.15 × 3 / 2 = 0.775.
        // CV(RMSE) = √(3 / (4 − 2)) / 13 = 1.22474 / 13 = 0.094211; NMBE = −1 / ((4 − 2) × 13) = −0.038462.
        var fit = FitMetrics.Of([10, 12, 14, 16], [11, 12, 13, 17], parameters: 2);

        Assert.Equal(0.85, fit.R2, 9);
        Assert.Equal(0.775, fit.AdjustedR2, 9);
        Assert.Equal(0.094211, fit.CvRmse, 6);
        Assert.Equal(-0.038462, fit.Nmbe, 6);
        Assert.Equal([true, true, true], fit.Verdicts.Select(v => v.Pass));
    }

    [Fact]
    public void Lag_1_autocorrelation_worked_example_alternating_residuals_give_minus_three_quarters()
    {
        // Mean 0; Σd² = 4; Σ dᵢ·dᵢ₋₁ = −1 − 1 − 1 = −3 → ρ = −0.75.
        Assert.Equal(-0.75, SavingsCalculator.Lag1Autocorrelation([1, -1, 1, -1]), 12);
    }

    [Fact]
    public void Fractional_savings_uncertainty_worked_example_of_a_year_reported_against_a_year()
    {
        // P = 365 baseline days, no autocorrelation (P′ = P), 2 parameters: t(0.95, 363 dof) = 1.6490.
        // M = 12 months: −0.00024 × 144 + 0.03535 × 12 + 1.00286 = 1.39250; CV(RMSE) = 0.20; Q = 365; F = 0.10.
        // √((365/365)(1 + 2/365)(1/365)) = 0.052486 → 1.6490 × 1.39250 × 0.20 × 0.052486 / 0.10 = 0.24104.
        var model = new BaselineModel(ModelType.HddOnly, 100, 14, 8, null, 0, 365, new FitMetrics(0.9, 0.9, 0.20, 0, 365, 2), []);

        var fsu = SavingsCalculator.Fsu(model, months: 12, reportingDays: 365, fraction: 0.10);

        Assert.Equal(0.24104, fsu!.Value, 4);
    }

    [Fact]
    public void A_baseline_shorter_than_a_year_is_insufficient_and_says_why()
    {
        var days = Year(_ => 300, 10, seed: 9, days: 200);

        var result = CalTrackDaily.Fit(days, isElectricity: true);

        Assert.Null(result.Model);
        Assert.Contains(result.Sufficiency.Reasons, r => r.En.Contains("200 days") && r.En.Contains("365") && r.Zh.Contains("200 天"));
    }

    [Fact]
    public void Zero_electricity_days_count_as_missing_and_more_than_a_tenth_missing_is_insufficient()
    {
        // 40 days read 0 kWh: a dead meter, not a closed office. 40 of 366 is 10.9 %.
        var days = Year(_ => 300, 10, seed: 10).Select((d, i) => i % 9 == 0 && i < 360 ? d with { Use = 0 } : d).ToList();

        var electricity = CalTrackDaily.Fit(days, isElectricity: true);
        var water = CalTrackDaily.Fit(days, isElectricity: false);

        Assert.Null(electricity.Model);
        Assert.Equal(40, electricity.Sufficiency.MissingDays);
        Assert.Contains(electricity.Sufficiency.Reasons, r => r.En.Contains("10 %") && r.Zh.Contains("10 %"));
        Assert.NotNull(water.Model); // a day without water use is a day without use
    }

    [Fact]
    public void Use_above_median_plus_three_interquartile_ranges_is_flagged_not_dropped()
    {
        var days = Year(_ => 300, 10, seed: 11);
        days[100] = days[100] with { Use = 5000 };
        days[200] = days[200] with { Use = 4000 };

        var result = CalTrackDaily.Fit(days, isElectricity: true);

        Assert.Equal(2, result.Sufficiency.FlaggedDays);
        Assert.Equal(366, result.Model!.Days);
    }
}

/// <summary>Daily means from hourly observations by CalTRACK's rules.</summary>
public sealed class DailyTemperatureTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateOnly Day = new(2025, 1, 15);

    private static DateTimeOffset At(int hour, int minute = 0) => new(2025, 1, 15, hour, minute, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Twenty_four_hours_average_to_their_mean_and_several_readings_in_an_hour_count_once()
    {
        // Hour h reads h °C (0 … 23): mean 11.5. Hour 5 also has 5.5 at :30, so its hour is 5.25 and the day 11.489583.
        var observations = Enumerable.Range(0, 24).Select(h => new TemperatureObservation(At(h), h)).Append(new TemperatureObservation(At(5, 30), 5.5));

        var mean = DailyTemperature.Means(observations, Day, Day, Beijing).Single().MeanC;

        Assert.Equal((276 + 0.25) / 24, mean!.Value, 9);
    }

    [Fact]
    public void A_gap_of_six_hours_is_interpolated_and_one_of_seven_is_not()
    {
        // Known 0:00–9:00 at 0 °C and 16:00–23:00 at 7 °C: hours 10–15 (six) are filled 1, 2, …, 6.
        var six = Enumerable.Range(0, 24).Where(h => h is < 10 or > 15).Select(h => new TemperatureObservation(At(h), h < 10 ? 0 : 7));
        var seven = Enumerable.Range(0, 24).Where(h => h is < 10 or > 16).Select(h => new TemperatureObservation(At(h), h < 10 ? 0 : 7));

        var filled = DailyTemperature.Means(six, Day, Day, Beijing).Single().MeanC!.Value;
        var unfilled = DailyTemperature.Means(seven, Day, Day, Beijing).Single().MeanC!.Value;

        Assert.Equal(((10 * 0) + 21 + (8 * 7)) / 24.0, filled, 9); // 1 + … + 6 = 21
        Assert.Equal(7 * 7 / 17.0, unfilled, 9); // 17 known hours, the 7-hour gap left out
    }

    [Fact]
    public void A_day_needs_half_of_its_hours()
    {
        // Readings at 0:00, 8:00 and 16:00: gaps of 7 hours are not filled, 3 of 24 hours. Twelve hours 0:00–11:00: half.
        // Readings every other hour: each one-hour gap is filled, 23 of 24 hours.
        var sparse = new[] { 0, 8, 16 }.Select(h => new TemperatureObservation(At(h), 3));
        var half = Enumerable.Range(0, 12).Select(h => new TemperatureObservation(At(h), 3));
        var everyOther = Enumerable.Range(0, 12).Select(k => new TemperatureObservation(At(k * 2), 3));

        Assert.Null(DailyTemperature.Means(sparse, Day, Day, Beijing).Single().MeanC);
        Assert.Equal(3, DailyTemperature.Means(half, Day, Day, Beijing).Single().MeanC);
        Assert.Equal(3, DailyTemperature.Means(everyOther, Day, Day, Beijing).Single().MeanC);
    }
}
