using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Reports.Model;

/// <summary>One energy kind's use over the period, with the comparisons a reader expects.</summary>
/// <param name="Amount">In the kind's statistical unit (kWh, m³, GJ …).</param>
/// <param name="Kgce">Standard coal by the report's coefficient set; null when the set has no factor for the kind (water).</param>
public sealed record KindTotal(EnergyKind Kind, string Unit, double Amount, double? Kgce, double? Co2, double? YearOnYear, double? PeriodOnPeriod, double EstimatedShare, double RejectedShare, int DaysMissing)
{
    /// <summary>The cost in 元 by the configured tariffs (time-of-use bands by hour); null without a tariff for the period.</summary>
    public double? Cost { get; init; }
}

/// <summary>A node of the 分类/分项 tree: an item code's use, with its sub-items.</summary>
public sealed record ItemNode(string Code, LocalizedText Name, string Unit, double Amount, double ShareOfParent, IReadOnlyList<ItemNode> Children);

/// <summary>An indicator of the period with its comparisons; values are null when their denominator is unknown.</summary>
public sealed record IndicatorRow(IndicatorId Indicator, double? Value, double? LastYear, double? YearOnYear);

/// <summary>Which coefficients turned natural units into kgce and CO2, with their sources, as every report must print.</summary>
public sealed record CoefficientRow(EnergyKind Kind, string Unit, double? KgcePerUnit, string? KgceSource, double? Co2PerUnit, string? Co2Source);

/// <summary>The weather-normalised savings of a building over the period (IPMVP Option C, CalTRACK daily), or why there are none.</summary>
public sealed record SavingsSection(string Model, double? R2, double? CvRmse, double? Nmbe, bool PassesGuideline14, double? Predicted, double? Actual, double? Avoided,
    double? Fraction, double? Uncertainty, string Baseline, IReadOnlyList<string> Notes, IReadOnlyList<(DateOnly Day, double Actual, double Predicted)> Days);

/// <summary>One institution's indicator against its reduction target from the base year (docs/DOMAIN.md#targets).</summary>
/// <param name="RequiredThisYear">The change required by this year on a steady path to <paramref name="RequiredByTargetYear"/>.</param>
/// <param name="Coverage">The share of the year's days to date that the rollups cover: below 90 % the attainment is not judged.</param>
public sealed record TargetRow(string Institution, string Indicator, string Unit, double BaseValue, double CurrentValue, double RequiredThisYear, double RequiredByTargetYear, double? Achieved, double Coverage)
{
    public const double JudgedCoverage = 0.9;

    /// <summary>True when met, false when missed, null when the data cover too little of the year to judge.</summary>
    public bool? MetThisYear => Coverage < JudgedCoverage ? null : Achieved is { } a && a <= RequiredThisYear + 1e-12;
}

/// <summary>An institution's energy of the year so far against its annual total quota (能耗总量控制).</summary>
public sealed record QuotaUseRow(string Institution, double UsedKgce, double AnnualQuotaKgce, double ShareOfYearElapsed)
{
    public double ShareUsed => AnnualQuotaKgce > 0 ? UsedKgce / AnnualQuotaKgce : double.NaN;
}

/// <summary>An institution's indicator placed against a standard's quota (约束值, 基准值, 引导值).</summary>
public sealed record QuotaBandRow(string Institution, string Quota, IndicatorId Indicator, double Value, double Guide, double Baseline, double Constraint, Analytics.Quotas.QuotaBand Band, string Source);

/// <summary>An institution's annual assessment (考核评价) by the configured scheme.</summary>
public sealed record ScoreRow(string Institution, double Score, double Total, string Grade, IReadOnlyList<string> Vetoed, IReadOnlyList<(string Item, double Score, double Points)> Items);

/// <summary>A point of the target chart: the change from the base year required by a year and the change achieved.</summary>
public sealed record TrajectoryPoint(string Institution, int Year, double Required, double? Achieved);

/// <summary>
/// Target attainment, quota positions and scores of the institutions in scope; null for a building, or when no
/// institution has targets.
/// </summary>
public sealed record TargetsSection(int BaseYear, int TargetYear, IReadOnlyList<TargetRow> Targets, IReadOnlyList<QuotaUseRow> QuotaUse, IReadOnlyList<QuotaBandRow> QuotaBands,
    IReadOnlyList<ScoreRow> Scores, IReadOnlyList<TrajectoryPoint> Trajectory, IReadOnlyList<string> Notes);

/// <summary>An alert of the period, as the report lists it.</summary>
public sealed record ReportAlert(long Id, string Rule, string Severity, string State, DateTimeOffset Opened, string Summary);

/// <summary>The hourly shape of electricity in the period: average kWh per hour of day on working days and on days off.</summary>
public sealed record LoadProfile(IReadOnlyList<double> WorkingDays, IReadOnlyList<double> DaysOff);

/// <summary>
/// A consumption report as numbers, built from rollups only (docs/REPORTS.md). Renderers draw and format it; none
/// computes anything of its own, so every rendering ties out to this model and the model to the rollups.
/// </summary>
public sealed record ConsumptionReport(
    string Title,
    string ScopeName,
    ReportScope Scope,
    ReportPeriod Period,
    Language Language,
    DateTimeOffset GeneratedAt,
    TimeZoneInfo TimeZone,
    string CoefficientSetId,
    string ElectricityBasis,
    IReadOnlyList<KindTotal> Totals,
    double TotalKgce,
    double TotalCo2,
    double? TotalKgceYearOnYear,
    IReadOnlyList<ItemNode> Items,
    IReadOnlyList<IndicatorRow> Indicators,
    IReadOnlyList<CoefficientRow> Coefficients,
    IReadOnlyList<ReportAlert> Alerts,
    IReadOnlyList<(DateOnly Day, IReadOnlyDictionary<EnergyKind, double> Kgce)> Daily,
    IReadOnlyList<(int Month, double ThisYear, double? LastYear)> Monthly,
    LoadProfile? Profile,
    double[,]? Heatmap,
    IReadOnlyList<string> Notes)
{
    /// <summary>The building's savings against its weather-normalised baseline; null for other scopes or without a weather station.</summary>
    public SavingsSection? Savings { get; init; }

    /// <summary>The targets, quotas and scores of the institutions in scope; null for a building or without targets.</summary>
    public TargetsSection? Targets { get; init; }

    public double TotalTce => TotalKgce / 1000;

    /// <summary>The cost of the kinds with a tariff, 元.</summary>
    public double TotalCost => Totals.Sum(t => t.Cost ?? 0);
}
