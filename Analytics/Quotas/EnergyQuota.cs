using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Quotas;

/// <summary>
/// An energy-use quota (能耗定额) for a class of buildings: the 约束值 (ceiling), 基准值 and 引导值 (aspiration), per
/// unit floor area or per person, from a named standard. Configurable (config/quotas.yaml); values that could not be
/// checked against the standard itself say so in <see cref="Confidence"/>.
/// </summary>
/// <param name="Regions">行政区划 code prefixes the standard applies in ("37" for Shandong; "CN" nationwide).</param>
/// <param name="Natures">单位性质 codes it applies to (01 国家机关 …); empty for all.</param>
/// <param name="Indicator">Energy per floor area (kgce/(m²·a)) or energy per person (kgce/(人·a)): <see cref="EnergyQuota.Indicators"/>.</param>
public sealed record EnergyQuota(string Id, string Name, string Source, string Confidence, IReadOnlyList<string> Regions, IReadOnlyList<string> Natures,
    IndicatorId Indicator, double Constraint, double Baseline, double Guide)
{
    /// <summary>The indicators a quota standard sets values for.</summary>
    public static IReadOnlyList<IndicatorId> Indicators { get; } = [IndicatorId.EnergyPerArea, IndicatorId.EnergyPerPerson];

    public bool AppliesTo(string regionCode, string natureCode) =>
        Regions.Any(r => r == "CN" || regionCode.StartsWith(r, StringComparison.Ordinal))
        && (Natures.Count == 0 || Natures.Any(n => natureCode.StartsWith(n, StringComparison.Ordinal)));
}

/// <summary>Where a value stands against a quota.</summary>
public enum QuotaBand
{
    /// <summary>At or below the 引导值: the aspiration met.</summary>
    AtOrBelowGuide,

    /// <summary>Between the 引导值 and the 基准值.</summary>
    BelowBaseline,

    /// <summary>Between the 基准值 and the 约束值: allowed, with room to save.</summary>
    BelowConstraint,

    /// <summary>Above the 约束值: over the ceiling, to be flagged.</summary>
    AboveConstraint,
}

/// <param name="Position">0 at the 引导值, 1 at the 约束值 (below 0 better than the aspiration, above 1 over the ceiling).</param>
public sealed record QuotaPosition(EnergyQuota Quota, double Value, QuotaBand Band, double Position);

/// <summary>Pure placement of an indicator against its quota.</summary>
public static class QuotaPositions
{
    public static QuotaPosition Of(EnergyQuota quota, double value)
    {
        var band = value <= quota.Guide ? QuotaBand.AtOrBelowGuide
            : value <= quota.Baseline ? QuotaBand.BelowBaseline
            : value <= quota.Constraint ? QuotaBand.BelowConstraint
            : QuotaBand.AboveConstraint;
        return new QuotaPosition(quota, value, band, (value - quota.Guide) / (quota.Constraint - quota.Guide));
    }
}
