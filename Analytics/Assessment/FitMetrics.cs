using MathNet.Numerics.Distributions;

namespace EnergyMonitor.Analytics.Assessment;

/// <summary>A metric, its threshold and whether the model meets it.</summary>
public sealed record Verdict(string Metric, double Value, string Threshold, bool Pass);

/// <summary>
/// How well a model fits the days it was fitted on (ASHRAE Guideline 14, docs/DOMAIN.md#energy-saving-assessment).
/// CV(RMSE) and NMBE divide by n − p, as the guideline defines them. Pure.
/// </summary>
public sealed record FitMetrics(double R2, double AdjustedR2, double CvRmse, double Nmbe, int Points, int Parameters)
{
    /// <summary>Guideline 14 gives CV(RMSE) ≤ 30 % and |NMBE| ≤ 10 % for models of hourly data; daily data is held to them too.</summary>
    public const double MaxCvRmse = 0.30;

    public const double MaxAbsNmbe = 0.10;

    /// <summary>The R² a regression baseline is commonly held to under Guideline 14 (docs/DOMAIN.md marks its source).</summary>
    public const double MinR2 = 0.75;

    public static FitMetrics Of(IReadOnlyList<double> actual, IReadOnlyList<double> predicted, int parameters)
    {
        var n = actual.Count;
        var mean = actual.Average();
        double ssRes = 0, ssTot = 0, bias = 0;
        for (var i = 0; i < n; i++)
        {
            var e = actual[i] - predicted[i];
            ssRes += e * e;
            bias += e;
            ssTot += (actual[i] - mean) * (actual[i] - mean);
        }

        var r2 = ssTot > 0 ? 1 - (ssRes / ssTot) : 0;

        // CalTRACK: adjusted R² with df = P − c − 1 (c slopes); the intercept-only model has none to adjust: 0.
        var slopes = parameters - 1;
        var adjusted = slopes == 0 ? 0 : 1 - ((1 - r2) * (n - 1) / (n - slopes - 1));
        var dof = Math.Max(1, n - parameters);
        var cv = mean != 0 ? Math.Sqrt(ssRes / dof) / mean : double.PositiveInfinity;
        var nmbe = mean != 0 ? bias / (dof * mean) : double.PositiveInfinity;
        return new FitMetrics(r2, adjusted, cv, nmbe, n, parameters);
    }

    public IReadOnlyList<Verdict> Verdicts =>
    [
        new("R²", R2, $"≥ {MinR2:0.00}", R2 >= MinR2),
        new("CV(RMSE)", CvRmse, $"≤ {MaxCvRmse:P0}", CvRmse <= MaxCvRmse),
        new("NMBE", Nmbe, $"within ±{MaxAbsNmbe:P0}", Math.Abs(Nmbe) <= MaxAbsNmbe),
    ];

    public bool PassesGuideline14 => Verdicts.All(v => v.Pass);
}

/// <summary>Avoided use over a reporting period (IPMVP Option C) and its fractional savings uncertainty.</summary>
public sealed record Savings(double Predicted, double Actual, double Avoided, double Fraction, double? FractionalUncertainty, int ReportingDays, int MissingDays);

/// <summary>Savings against a baseline model. Pure.</summary>
public static class SavingsCalculator
{
    /// <summary>CalTRACK's coefficients of the reporting-months polynomial for daily models.</summary>
    public const double A = -0.00024, B = 0.03535, D = 1.00286;

    /// <summary>Two-sided confidence of the uncertainty.</summary>
    public const double Confidence = 0.90;

    /// <summary>Predicted minus actual over the reporting days that have both use and temperature.</summary>
    public static Savings Compute(BaselineModel model, IReadOnlyList<DailyUse> reporting)
    {
        double predicted = 0, actual = 0;
        var used = 0;
        foreach (var day in reporting)
        {
            if (day.Use is { } u && day.MeanTempC is { } t)
            {
                predicted += model.Predict(t);
                actual += u;
                used++;
            }
        }

        var avoided = predicted - actual;
        var fraction = predicted != 0 ? avoided / predicted : 0;
        var months = reporting.Count == 0 ? 0 : Months(reporting[0].Date, reporting[^1].Date);
        var uncertainty = Fsu(model, months, used, fraction);
        return new Savings(predicted, actual, avoided, fraction, uncertainty, used, reporting.Count - used);
    }

    /// <summary>
    /// ASHRAE Guideline 14's fractional savings uncertainty with CalTRACK's daily coefficients:
    /// t·(a·M² + b·M + d)·CV(RMSE)·√((P/P′)(1 + 2/P′)(1/Q)) / F, with P′ = P(1 − ρ)/(1 + ρ) for the lag-1
    /// autocorrelation ρ of the baseline residuals. Null when there are no savings to take a fraction of.
    /// </summary>
    /// <param name="months">M, the reporting period's months.</param>
    /// <param name="reportingDays">Q, the reporting period's data points.</param>
    public static double? Fsu(BaselineModel model, double months, int reportingDays, double fraction)
    {
        if (fraction == 0 || reportingDays == 0)
        {
            return null;
        }

        double p = model.Days;
        var rho = Lag1Autocorrelation(model.Residuals);
        var pPrime = p * (1 - rho) / (1 + rho);
        var t = StudentT.InvCDF(0, 1, Math.Max(1, pPrime - model.Parameters), 1 - ((1 - Confidence) / 2));
        var polynomial = (A * months * months) + (B * months) + D;
        return t * polynomial * model.Fit.CvRmse * Math.Sqrt(p / pPrime * (1 + (2 / pPrime)) / reportingDays) / Math.Abs(fraction);
    }

    public static double Lag1Autocorrelation(IReadOnlyList<double> residuals)
    {
        if (residuals.Count < 3)
        {
            return 0;
        }

        var mean = residuals.Average();
        double numerator = 0, denominator = 0;
        for (var i = 0; i < residuals.Count; i++)
        {
            var d = residuals[i] - mean;
            denominator += d * d;
            if (i > 0)
            {
                numerator += d * (residuals[i - 1] - mean);
            }
        }

        // Clamped below 1: a residual series that never changes sign would otherwise leave no independent points.
        return denominator > 0 ? Math.Clamp(numerator / denominator, -0.99, 0.99) : 0;
    }

    /// <summary>Whole and part months from the first to the last day, as a report counts them.</summary>
    private static double Months(DateOnly first, DateOnly last) => ((last.DayNumber - first.DayNumber) + 1) / (365.25 / 12);
}
