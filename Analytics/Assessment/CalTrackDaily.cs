using EnergyMonitor.Core.Domain;
using MathNet.Numerics.LinearAlgebra;

namespace EnergyMonitor.Analytics.Assessment;

/// <summary>One day of a baseline or reporting period: the use in the meter's unit and the day's mean temperature; null where missing.</summary>
public readonly record struct DailyUse(DateOnly Date, double? Use, double? MeanTempC);

/// <summary>The CalTRACK 2.0 daily model's four shapes.</summary>
public enum ModelType
{
    InterceptOnly,
    HddOnly,
    CddOnly,
    HddCdd,
}

/// <summary>
/// A fitted daily model: use per day = <see cref="Intercept"/> + <see cref="HeatingSlope"/>·HDD(<see cref="HeatingBalanceC"/>)
/// + <see cref="CoolingSlope"/>·CDD(<see cref="CoolingBalanceC"/>), with its fit over the baseline days it was fitted on.
/// </summary>
public sealed record BaselineModel(
    ModelType Type,
    double Intercept,
    double? HeatingBalanceC,
    double HeatingSlope,
    double? CoolingBalanceC,
    double CoolingSlope,
    int Days,
    FitMetrics Fit,
    IReadOnlyList<double> Residuals)
{
    /// <summary>Parameters estimated: the intercept and each slope.</summary>
    public int Parameters => 1 + (HeatingBalanceC is null ? 0 : 1) + (CoolingBalanceC is null ? 0 : 1);

    public double Predict(double meanTempC) =>
        Intercept
        + (HeatingBalanceC is { } h ? HeatingSlope * DegreeDays.Heating(meanTempC, h) : 0)
        + (CoolingBalanceC is { } c ? CoolingSlope * DegreeDays.Cooling(meanTempC, c) : 0);
}

/// <summary>Why a baseline cannot carry an assessment; the assessment says so instead of giving a number.</summary>
public sealed record Sufficiency(bool IsSufficient, IReadOnlyList<LocalizedText> Reasons, int Days, int MissingDays, int FlaggedDays);

/// <summary>The baseline model, or why there is none.</summary>
public sealed record BaselineResult(BaselineModel? Model, Sufficiency Sufficiency);

/// <summary>
/// The CalTRACK 2.0 daily method (docs/DOMAIN.md#energy-saving-assessment): candidates intercept-only, HDD-only,
/// CDD-only and HDD+CDD (cooling for electricity only) over a grid of balance points, each qualified by positive
/// coefficients, at least 10 days with degree-days and 20 degree-days a year; the best adjusted R² wins. Pure.
/// </summary>
public static class CalTrackDaily
{
    /// <summary>Balance points searched, °C: −1 to 32 in steps of 1.5 (30 to 90 °F in steps under 3 °F).</summary>
    public static readonly IReadOnlyList<double> BalancePoints = [.. Enumerable.Range(0, 23).Select(k => -1 + (1.5 * k))];

    public const double MaxMissingShare = 0.10;
    public const int MinDegreeDayDays = 10;
    public const double MinDegreeDaysPerYear = 20;

    /// <summary>Checks the baseline's data and fits the model.</summary>
    /// <param name="days">Every day of the baseline period, missing ones included.</param>
    /// <param name="isElectricity">Cooling models are fitted for electricity only, and a zero electricity day counts as missing.</param>
    public static BaselineResult Fit(IReadOnlyList<DailyUse> days, bool isElectricity)
    {
        var sufficiency = Check(days, isElectricity);
        if (!sufficiency.IsSufficient)
        {
            return new BaselineResult(null, sufficiency);
        }

        var usable = Usable(days, isElectricity);
        var years = usable.Count / 365.0;
        var y = usable.Select(d => d.Use!.Value).ToArray();
        var temps = usable.Select(d => d.MeanTempC!.Value).ToArray();

        BaselineModel? best = Ols(ModelType.InterceptOnly, y, temps, null, null);
        foreach (var h in BalancePoints)
        {
            Consider(Ols(ModelType.HddOnly, y, temps, h, null));
        }

        if (isElectricity)
        {
            foreach (var c in BalancePoints)
            {
                Consider(Ols(ModelType.CddOnly, y, temps, null, c));
                foreach (var h in BalancePoints.Where(h => h <= c))
                {
                    Consider(Ols(ModelType.HddCdd, y, temps, h, c));
                }
            }
        }

        return new BaselineResult(best, sufficiency);

        void Consider(BaselineModel? candidate)
        {
            if (candidate is not null && Qualifies(candidate, temps, years) && candidate.Fit.AdjustedR2 > best!.Fit.AdjustedR2)
            {
                best = candidate;
            }
        }
    }

    /// <summary>365 days (366 in a leap year) with at most 10 % missing; use above median + 3·IQR is flagged, not removed.</summary>
    public static Sufficiency Check(IReadOnlyList<DailyUse> days, bool isElectricity)
    {
        var reasons = new List<LocalizedText>();
        if (days.Count < 365)
        {
            reasons.Add(new($"基准期只有 {days.Count} 天；CalTRACK 需要 365 天", $"the baseline covers {days.Count} days; CalTRACK needs 365"));
        }

        var usable = Usable(days, isElectricity);
        var missing = days.Count - usable.Count;
        if (days.Count > 0 && missing > MaxMissingShare * days.Count)
        {
            reasons.Add(new($"{days.Count} 天中有 {missing} 天缺用量或气温{(isElectricity ? "（用电为零的日子按缺数计）" : "")}；至多允许 10 %",
                $"{missing} of {days.Count} days have no use or no temperature{(isElectricity ? " (a day of zero electricity counts as missing)" : "")}; at most 10 % may"));
        }

        var flagged = 0;
        if (usable.Count >= 4)
        {
            var sorted = usable.Select(d => d.Use!.Value).Order().ToArray();
            var (q1, median, q3) = (Quantile(sorted, 0.25), Quantile(sorted, 0.5), Quantile(sorted, 0.75));
            flagged = sorted.Count(v => v > median + (3 * (q3 - q1)));
        }

        return new Sufficiency(reasons.Count == 0, reasons, days.Count, missing, flagged);
    }

    /// <summary>Linear interpolation between order statistics of sorted values.</summary>
    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }

    private static List<DailyUse> Usable(IReadOnlyList<DailyUse> days, bool isElectricity) =>
        [.. days.Where(d => d.Use is { } u && double.IsFinite(u) && d.MeanTempC is { } t && double.IsFinite(t) && !(isElectricity && u == 0))];

    private static bool Qualifies(BaselineModel m, double[] temps, double years)
    {
        if (m.HeatingBalanceC is { } h && !(m.HeatingSlope > 0 && DegreeDaysEnough(temps.Select(t => DegreeDays.Heating(t, h)), years)))
        {
            return false;
        }

        return m.CoolingBalanceC is not { } c || (m.CoolingSlope > 0 && DegreeDaysEnough(temps.Select(t => DegreeDays.Cooling(t, c)), years));
    }

    private static bool DegreeDaysEnough(IEnumerable<double> degreeDays, double years)
    {
        var list = degreeDays.ToList();
        return list.Count(d => d > 0) >= MinDegreeDayDays && list.Sum() >= MinDegreeDaysPerYear * years;
    }

    /// <summary>Ordinary least squares of one candidate; null when its design is singular (no degree-days at all).</summary>
    private static BaselineModel? Ols(ModelType type, double[] y, double[] temps, double? heating, double? cooling)
    {
        var columns = new List<double[]> { temps.Select(_ => 1.0).ToArray() };
        if (heating is { } h)
        {
            columns.Add([.. temps.Select(t => DegreeDays.Heating(t, h))]);
        }

        if (cooling is { } c)
        {
            columns.Add([.. temps.Select(t => DegreeDays.Cooling(t, c))]);
        }

        if (columns.Skip(1).Any(col => col.All(v => v == 0)))
        {
            return null;
        }

        var x = Matrix<double>.Build.DenseOfColumnArrays(columns);
        var yv = Vector<double>.Build.DenseOfArray(y);
        Vector<double> beta;
        try
        {
            beta = x.QR().Solve(yv);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }

        if (beta.Any(b => !double.IsFinite(b)))
        {
            return null;
        }

        var predicted = x * beta;
        var residuals = (yv - predicted).ToArray();
        var fit = FitMetrics.Of(y, predicted.ToArray(), columns.Count);
        var slope = 1;
        return new BaselineModel(type, beta[0],
            heating, heating is null ? 0 : beta[slope++],
            cooling, cooling is null ? 0 : beta[slope],
            y.Length, fit, residuals);
    }
}

/// <summary>Heating and cooling degree-days of a day's mean temperature, in °C·day.</summary>
public static class DegreeDays
{
    public static double Heating(double meanTempC, double balanceC) => Math.Max(0, balanceC - meanTempC);

    public static double Cooling(double meanTempC, double balanceC) => Math.Max(0, meanTempC - balanceC);
}
