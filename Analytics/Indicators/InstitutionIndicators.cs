using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Indicators;

/// <summary>
/// One institution's indicators for a year to date (1 January local to <see cref="Through"/>, exclusive), with the
/// same span of the previous year and of the base year for comparison, and the coefficient set used.
/// </summary>
public sealed record InstitutionIndicators(
    string Institution,
    int Year,
    DateTimeOffset Through,
    string CoefficientSet,
    IReadOnlyDictionary<string, double> UseByKind,
    IReadOnlyDictionary<string, double> EstimatedShareByKind,
    double Kgce,
    double Co2,
    double? EnergyPerPerson,
    double? EnergyPerArea,
    double? WaterPerPerson,
    double? Co2PerArea,
    double? EnergyYearOnYear,
    double? EnergyMonthOnMonth,
    IReadOnlyList<TargetAttainment> Targets,
    QuotaProgress? MonthQuota,
    IReadOnlyList<LocalizedText> Notes);
