using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Analytics.Indicators;

/// <summary>A change against a comparison period, as a fraction (−0.05 is 5 % less); null when the comparison is zero or absent.</summary>
public readonly record struct Change(double? Fraction)
{
    public static Change Between(double current, double? previous) =>
        new(previous is { } p && p != 0 ? (current - p) / p : null);
}

/// <summary>One target against a base year: the change achieved, the change required, and whether it is met.</summary>
public sealed record TargetAttainment(IndicatorId Indicator, double BaseValue, double CurrentValue, double RequiredChange, double? AchievedChange, bool Met);

/// <summary>Month-to-date use against the month's quota, with a straight-line projection to the month's end.</summary>
public sealed record QuotaProgress(double UsedToDate, double Quota, double ShareUsed, double ProjectedMonth, bool OnCourseToExceed);

/// <summary>
/// The statistical indicators of docs/DOMAIN.md § Indicators and § Targets (人均综合能耗, 单位建筑面积能耗, 人均用水量,
/// CO2 per m², year-on-year and month-on-month, 十四五 target attainment, quotas). Pure.
/// </summary>
public static class Indicators
{
    /// <summary>人均综合能耗: total energy ÷ 用能人数, kgce per person; null without occupants.</summary>
    public static double? EnergyPerPerson(Quantity<Kgce> total, int occupants) => occupants > 0 ? total.Value / occupants : null;

    /// <summary>单位建筑面积能耗: total energy ÷ floor area, kgce/m².</summary>
    public static double? EnergyPerArea(Quantity<Kgce> total, Quantity<SquareMetre> area) => area.Value > 0 ? total.Value / area.Value : null;

    /// <summary>人均用水量: water ÷ 用能人数, m³ per person.</summary>
    public static double? WaterPerPerson(Quantity<CubicMetre> water, int occupants) => occupants > 0 ? water.Value / occupants : null;

    /// <summary>CO2 per m² of floor area, kgCO2/m².</summary>
    public static double? Co2PerArea(Quantity<KgCo2> co2, Quantity<SquareMetre> area) => area.Value > 0 ? co2.Value / area.Value : null;

    /// <summary>
    /// Attainment of a reduction target: met when the change from the base year is at or below the required
    /// change (−0.05 requires at least 5 % less).
    /// </summary>
    /// <returns>
    /// Null when either value cannot be computed (a year with no facts has no per-person or per-area figure): a
    /// target that cannot be assessed is absent, never a NaN that a JSON writer refuses (the daily indicators job
    /// failed so on the first day of a year the site file had no facts for).
    /// </returns>
    public static TargetAttainment? Attainment(IndicatorId indicator, double? baseValue, double? currentValue, double requiredChange)
    {
        if (baseValue is not { } b || currentValue is not { } c)
        {
            return null;
        }

        var achieved = Change.Between(c, b).Fraction;
        return new TargetAttainment(indicator, b, c, requiredChange, achieved, achieved is { } a && a <= requiredChange + 1e-12);
    }

    /// <summary>Month-to-date use against a monthly quota, projected to the month's end at the pace so far.</summary>
    public static QuotaProgress Quota(double usedToDate, double monthlyQuota, TimeSpan elapsed, TimeSpan month)
    {
        var projected = elapsed > TimeSpan.Zero ? usedToDate * (month / elapsed) : usedToDate;
        return new QuotaProgress(usedToDate, monthlyQuota, monthlyQuota > 0 ? usedToDate / monthlyQuota : 0, projected, projected > monthlyQuota);
    }
}
